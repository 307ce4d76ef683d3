"""The signed-in front page: what needs the user's attention today, across the apps."""
