# Sends each probe of a file, one per line "ID PROTO DESTINATION PORT-OR-TYPE", from this namespace:
# TCP as a SYN (a non-blocking connect) and UDP as one datagram, both from source port 20000+ID;
# ICMP as one message of that type with identifier 20000+ID (a raw socket). Prints "sent N".
import socket, struct, sys, time

def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

held = []
count = 0
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for line in open(sys.argv[1]):
    ident, proto, destination, value = line.split()
    ident, value = int(ident), int(value)
    if proto == 'tcp':
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('0.0.0.0', 20000 + ident))
        s.setblocking(False)
        s.connect_ex((destination, value))
        held.append(s)
    elif proto == 'udp':
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('0.0.0.0', 20000 + ident))
        s.sendto(b'probe %d' % ident, (destination, value))
        s.close()
    else:
        header = struct.pack('!BBHHH', value, 0, 0, 20000 + ident, 1) + b'probe'
        message = struct.pack('!BBHHH', value, 0, checksum(header), 20000 + ident, 1) + b'probe'
        raw.sendto(message, (destination, 0))
    count += 1
    time.sleep(0.002)
time.sleep(0.5)
for s in held:
    s.close()
print('sent', count, flush=True)
