"""Everything the project sends to people: outgoing email (`ssp.notify.mail`).

No other module calls Django's mail API; a test greps for it (tests/ssp/test_mail_outbox.py).
"""
