"""The retention job purges the access log through a function that runs as the table's owner.

The app's runtime role may only SELECT and INSERT on the access log (ssp/db_roles.py), so the
purge, the one DELETE the log allows, is this function: `SECURITY DEFINER` (it runs with the
owner's rights), deleting only rows before `cutoff`, and the append-only trigger still refuses
any row younger than the legal minimum. Nobody but the runtime role may call it
(`grant_runtime_privileges` grants EXECUTE). The search path is pinned, with `pg_temp` last, so
the caller cannot put its own `ssp_auditevent` in the function's way.
"""

from django.db import migrations

SIGNATURE = "ssp_auditevent_purge(timestamp with time zone, bigint[], bigint[])"


def create_purge_function(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        (schema,) = cursor.fetchone()
        cursor.execute(
            f"""
            CREATE FUNCTION {schema}.ssp_auditevent_purge(
                cutoff timestamp with time zone,
                only_municipalities bigint[],
                except_municipalities bigint[]
            ) RETURNS bigint
            LANGUAGE plpgsql
            SECURITY DEFINER
            SET search_path = {schema}, pg_temp
            AS $$
            DECLARE
                deleted bigint;
            BEGIN
                PERFORM set_config('ssp.audit_purge', 'on', true);
                DELETE FROM {schema}.ssp_auditevent
                 WHERE at < cutoff
                   AND (only_municipalities IS NULL
                        OR municipality_id = ANY (only_municipalities))
                   AND (municipality_id IS NULL
                        OR NOT municipality_id = ANY (except_municipalities));
                GET DIAGNOSTICS deleted = ROW_COUNT;
                PERFORM set_config('ssp.audit_purge', 'off', true);
                RETURN deleted;
            END;
            $$
            """  # noqa: S608 - the schema name is quoted by PostgreSQL itself
        )
        cursor.execute(f"REVOKE ALL ON FUNCTION {schema}.{SIGNATURE} FROM PUBLIC")


def drop_purge_function(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")


class Migration(migrations.Migration):
    dependencies = [("ssp", "0009_sms_gateway")]

    operations = [migrations.RunPython(create_purge_function, drop_purge_function)]
