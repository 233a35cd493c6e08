# A client's open TCP connection for qubes-firewall's tap test: connects to HOST PORT, prints
# "connected", then sends a line "N" every 50 ms for SECONDS (a send that would block is skipped:
# once the firewall drops the flow, the kernel's buffer fills), and prints "sent N".
import socket, sys, time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection((host, port), timeout=5)
s.setblocking(False)
print('connected', flush=True)
n, end = 0, time.time() + seconds
while time.time() < end:
    try:
        s.send(b'%d\n' % n)
        n += 1
    except (BlockingIOError, OSError):
        pass
    time.sleep(0.05)
print('sent', n, flush=True)
