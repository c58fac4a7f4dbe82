"""``python -m dashboard.classroom``: the app on a classroom's network, over https, so that
phones can stream their sensors into it (a phone gives motion and location only to a
secure page, and cannot reach the laptop's ``localhost``).

It makes a self-signed certificate for this machine's network addresses (once; kept in the
data folder, readable by this user only), prints the address to open and the certificate's
fingerprint, then runs ``streamlit run app.py`` on every interface with it. A phone says the
connection is not private the first time: that is the self-signed certificate; the teacher
reads its fingerprint aloud if anyone wants to check it. For a hosted server use a real
certificate in nginx instead (``deploy/nginx-tls.conf``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import socket
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dashboard.shared.config import app_config
from dashboard.shared.network import network_addresses

VALID_DAYS = 30
NO_ADDRESS = (
    "  No network address found: phones cannot reach this laptop. Join the room's Wi-Fi or\n"
    "  a phone's hotspot, then run this again (the app runs meanwhile, for this laptop only)."
)
ROOT = Path(__file__).resolve().parent.parent


def make_certificate(folder: Path, addresses: list[str], hostname: str) -> tuple[Path, Path]:
    """A self-signed certificate (ECDSA P-256) for ``addresses``, ``hostname``,
    ``hostname.local`` and localhost: ``(certificate, key)`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bucket Dashboard classroom")])
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    for host in dict.fromkeys([hostname, hostname + ".local"]):
        if host and host != ".local":
            names.append(x509.DNSName(host))
    for address in ["127.0.0.1", *addresses]:
        names.append(x509.IPAddress(ipaddress.ip_address(address)))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "classroom.crt", folder / "classroom.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file


def fingerprint(cert_file: Path) -> str:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def current_certificate(folder: Path, addresses: list[str]) -> tuple[Path, Path] | None:
    """The certificate made before, if it still covers these addresses for a day more."""
    cert_file, key_file = folder / "classroom.crt", folder / "classroom.key"
    if not (cert_file.exists() and key_file.exists()):
        return None
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    covered = {
        str(a)
        for a in cert.extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        ).value.get_values_for_type(x509.IPAddress)
    }
    fresh = cert.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    return (cert_file, key_file) if fresh and set(addresses) <= covered else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--only-certificate", action="store_true", help="make it, do not run")
    args = parser.parse_args(argv)
    folder = app_config().data_dir / "classroom-tls"
    addresses = network_addresses()
    files = current_certificate(folder, addresses) or make_certificate(
        folder, addresses, socket.gethostname()
    )
    print("Bucket Dashboard for a classroom, over https (a self-signed certificate).")
    print(f"  on this laptop open  https://localhost:{args.port}  (sign in there)")
    for address in addresses:
        print(f"  phones reach it at   https://{address}:{args.port}  (the links it makes)")
    if not addresses:
        print(NO_ADDRESS)
    print(f"  certificate SHA-256  {fingerprint(files[0])}")
    print(
        "  Phones say the connection is not private the first time: on Android Chrome tap\n"
        "  Advanced, then Proceed; on iPhone Safari tap Show Details, then visit this website."
    )
    if args.only_certificate:
        return
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.address", "0.0.0.0", "--server.port", str(args.port),
        "--server.sslCertFile", str(files[0]), "--server.sslKeyFile", str(files[1]),
    ]  # fmt: skip
    if addresses:
        os.environ.setdefault("BUCKET_PHONE_URL", f"https://{addresses[0]}:{args.port}")
    sys.stdout.flush()
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
