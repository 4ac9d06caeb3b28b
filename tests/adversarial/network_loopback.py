# Connect to a loopback listener of the grader's machine, by IPv4, IPv6 and name.
import socket
for _host in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
    try:
        _s = socket.create_connection((_host, @PORT@), timeout=1)
        _s.sendall(b"hello from a student")
        leak("connected", _host)
    except OSError:
        pass
done()
