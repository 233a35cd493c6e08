# Records, for SECONDS, the probes from SOURCE that arrive on INTERFACE of this namespace (a packet
# socket sees them whatever their destination address): one line "PROTO ID" per probe seen, ID being
# the TCP or UDP source port or the ICMP identifier less 20000. Prints "ready" once listening.
# With a fourth argument "by-destination" (the probes came through a NAT, which rewrites source ports
# and identifiers), one line "PROTO DESTINATION PORT-OR-TYPE" per probe seen instead.
import socket, struct, sys, time

interface, source, seconds = sys.argv[1], socket.inet_aton(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((interface, 0))
s.settimeout(0.2)
print('ready', flush=True)
by_destination = len(sys.argv) > 4 and sys.argv[4] == 'by-destination'
seen = set()
end = time.time() + seconds
while time.time() < end:
    try:
        frame = s.recv(65535)
    except socket.timeout:
        continue
    ip = frame[14:]
    if len(ip) < 20 or ip[12:16] != source:
        continue
    header = (ip[0] & 0x0f) * 4
    proto, rest = ip[9], ip[header:]
    if by_destination:
        if proto in (6, 17) and len(rest) >= 4:
            seen.add(('tcp' if proto == 6 else 'udp', socket.inet_ntoa(ip[16:20]), struct.unpack('!H', rest[2:4])[0]))
        elif proto == 1 and len(rest) >= 1:
            seen.add(('icmp', socket.inet_ntoa(ip[16:20]), rest[0]))
        continue
    if proto in (6, 17) and len(rest) >= 2:
        seen.add(('tcp' if proto == 6 else 'udp', struct.unpack('!H', rest[0:2])[0] - 20000))
    elif proto == 1 and len(rest) >= 6:
        seen.add(('icmp', struct.unpack('!H', rest[4:6])[0] - 20000))
for probe in sorted(seen):
    print(*probe, flush=True)
