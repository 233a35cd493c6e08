# The upstream's servers for qubes-firewall's tap test: ADDRESSES (comma-separated), then for each
# argument "udp:PORT" a UDP echo on each address (bound to it, so that the answer leaves from the
# address asked: a NAT matches it), for each "tcp:PORT" a TCP server on all addresses that echoes each
# line and prints "got LINE TIME" (TIME: time.time() when it arrived). Prints "ready" once all listen.
import socket, sys, threading, time

def udp(address, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)

def tcp_client(c):
    buffered = b''
    while True:
        data = c.recv(65535)
        if not data:
            break
        buffered += data
        while b'\n' in buffered:
            line, buffered = buffered.split(b'\n', 1)
            print('got', line.decode(), '%.3f' % time.time(), flush=True)
            c.sendall(line + b'\n')
    c.close()

def tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_client, args=(c,), daemon=True).start()

for spec in sys.argv[2:]:
    kind, port = spec.split(':')
    if kind == 'udp':
        for address in sys.argv[1].split(','):
            threading.Thread(target=udp, args=(address, int(port)), daemon=True).start()
    else:
        threading.Thread(target=tcp, args=(int(port),), daemon=True).start()
time.sleep(0.3)
print('ready', flush=True)
while True:
    time.sleep(3600)
