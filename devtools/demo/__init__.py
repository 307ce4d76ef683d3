"""The demo data `seed_demo` builds, one module per app it fills: the organisation (`forum`),
young people, concerns and cases (`cases`), and meetings (`meetings`)."""
