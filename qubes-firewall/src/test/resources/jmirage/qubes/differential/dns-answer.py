# A DNS server for the differential test's dsthost names: answers, on ADDRESS port 53 (UDP), A queries
# for each NAME=IP[,IP...] argument with those addresses (TTL 300), and NXDOMAIN for any other name.
# Prints "ready" once listening.
import socket, struct, sys

names = {}
for spec in sys.argv[2:]:
    name, addresses = spec.split('=')
    names[name.lower().rstrip('.')] = addresses.split(',')
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
print('ready', flush=True)
while True:
    query, peer = s.recvfrom(4096)
    if len(query) < 12:
        continue
    ident, = struct.unpack('!H', query[0:2])
    labels, i = [], 12
    while i < len(query) and query[i] != 0:
        labels.append(query[i + 1:i + 1 + query[i]].decode('ascii', 'replace'))
        i += 1 + query[i]
    question = query[12:i + 5]
    qtype, = struct.unpack('!H', query[i + 1:i + 3])
    found = names.get('.'.join(labels).lower())
    answers = b''
    if found and qtype == 1:
        for address in found:
            answers += struct.pack('!HHHIH', 0xc00c, 1, 1, 300, 4) + socket.inet_aton(address)
    rcode = 0 if found else 3
    header = struct.pack('!HHHHHH', ident, 0x8180 | rcode, 1, len(answers) // 16, 0, 0)
    s.sendto(header + question + answers, peer)
