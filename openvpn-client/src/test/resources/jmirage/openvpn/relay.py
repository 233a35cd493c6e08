# A relay between an OpenVPN client and server that records what passes, for RecordedExchangeTest.
#   python3 relay.py udp|tcp LISTEN_ADDR LISTEN_PORT SERVER_ADDR SERVER_PORT RECORD_FILE
# Each line of the record: "c" (client to server) or "s" (server to client), a space, and the bytes
# in hex: one datagram over UDP, one read of the stream over TCP (the test reassembles the frames).
# Prints "ready" once listening; runs until killed.
import select, socket, sys

mode, listen, server, path = sys.argv[1], (sys.argv[2], int(sys.argv[3])), (sys.argv[4], int(sys.argv[5])), sys.argv[6]
record = open(path, "w")

def log(direction, data):
    record.write(direction + " " + data.hex() + "\n")
    record.flush()

if mode == "udp":
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(listen)
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind((sys.argv[2], 0))
    client = None
    print("ready", flush=True)
    while True:
        for s in select.select([front, back], [], [])[0]:
            data, peer = s.recvfrom(65535)
            if s is front:
                client = peer
                log("c", data)
                back.sendto(data, server)
            elif client is not None:
                log("s", data)
                front.sendto(data, client)
else:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(listen)
    listener.listen(1)
    print("ready", flush=True)
    while True:  # one connection at a time; a client that reconnects gets a new one
        front, _ = listener.accept()
        try:
            back = socket.create_connection(server)
        except OSError:
            front.close()
            continue
        open_ = True
        while open_:
            for s in select.select([front, back], [], [])[0]:
                data = s.recv(65535)
                if not data:
                    open_ = False
                    break
                if s is front:
                    log("c", data)
                    back.sendall(data)
                else:
                    log("s", data)
                    front.sendall(data)
        front.close()
        back.close()
