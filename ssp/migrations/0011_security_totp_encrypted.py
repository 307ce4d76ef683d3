"""TOTP secrets encrypted at rest: the proxy model the app uses, and every existing secret
(the demo's, and any real device) encrypted in place (`ssp.totp_secrets`)."""

from django.db import migrations

from ssp.totp_secrets import is_encrypted, totp_secret_decrypt, totp_secret_encrypt


def encrypt_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for pk, stored in TOTPDevice.objects.values_list("pk", "key"):
        if stored and not is_encrypted(stored):
            TOTPDevice.objects.filter(pk=pk).update(key=totp_secret_encrypt(stored))


def decrypt_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for pk, stored in TOTPDevice.objects.values_list("pk", "key"):
        if stored and is_encrypted(stored):
            TOTPDevice.objects.filter(pk=pk).update(key=totp_secret_decrypt(stored).hex())


class Migration(migrations.Migration):
    dependencies = [
        ("otp_totp", "0003_add_timestamps"),
        ("ssp", "0010_runtime_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="EncryptedTOTPDevice",
            fields=[],
            options={
                "verbose_name": "godkendelsesapp",
                "verbose_name_plural": "godkendelsesapps",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_totp.totpdevice",),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
