from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.signing import make_test_certificate
from units.models import Unit
from units.services import authority_certificate_set


class Command(BaseCommand):
    help = (
        "Make a self-signed test certificate (PKCS#12) for the demo or a trial: written to --out, "
        "and/or installed as the certificate of the authority --authority (its unit code). Never "
        "for real documents: no certification authority vouches for it."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--authority", help="code of the unit whose certificate it becomes")
        parser.add_argument("--out", help="where to write the .p12 file")
        parser.add_argument("--password", default="demo", help="the .p12 file's password")
        parser.add_argument("--name", help="the certificate's common name (default: the unit's)")

    def handle(self, *args: object, **options: str) -> None:
        if not options["authority"] and not options["out"]:
            raise CommandError("Give --authority CODE, --out FILE.p12, or both.")
        unit = None
        if options["authority"]:
            unit = Unit.objects.filter(code=options["authority"]).first()
            if unit is None:
                raise CommandError(f"No unit has the code {options['authority']!r}.")
        name = options["name"] or (unit.name if unit else "Cơ quan thử nghiệm")
        data = make_test_certificate(
            common_name=name,
            organization=f"{name} (chứng thư thử nghiệm)",
            password=options["password"],
        )
        if options["out"]:
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"written: {options['out']}")
        if unit is not None:
            certificate = authority_certificate_set(
                actor=None, authority=unit, pkcs12=data, password=options["password"]
            )
            self.stdout.write(f"installed for {unit.name}: SHA-256 {certificate.fingerprint}")
