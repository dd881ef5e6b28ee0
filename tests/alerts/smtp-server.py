# A real SMTP server for the e-mail tests (Debian's python3-aiosmtpd): STARTTLS required, AUTH LOGIN/PLAIN
# with one user, and every message received written, decoded, as one JSON line to a file.
# Usage: smtp-server.py PORT CERT KEY OUTFILE USER PASSWORD
import email
import email.policy
import json
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, outfile, user, password = sys.argv[1:7]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with open(outfile, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "tls": session.ssl is not None,
                "login": session.auth_data.login.decode() if session.auth_data else None,
                "subject": str(message["subject"]),
                "messageId": str(message["message-id"]),
                "alert": str(message["x-cobrew-alert"]),
                "body": message.get_content(),
            }) + "\n")
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, auth_data=auth_data)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(
    Handler(),
    hostname="127.0.0.1",
    port=int(port),
    tls_context=context,
    require_starttls=True,
    authenticator=authenticator,
    auth_required=True,
)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
