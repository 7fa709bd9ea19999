"""moto server that handles one request at a time.

moto's DynamoDB checks a ConditionExpression and then writes, without a lock; under moto_server's threaded
werkzeug server two concurrent conditional writes on one item can both pass. DynamoDB itself applies each
conditional write atomically, and scaflow's money safety rests on that. This launcher keeps the threaded server
(idle keep-alive connections must not block others) but runs requests through moto one at a time.

usage: serialized_moto_server.py HOST PORT
"""
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    moto = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return list(moto(environ, start_response))

    run_simple(host, port, one_at_a_time, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
