#!/bin/sh
# Generates the btc-pinata TEST PKI (public by nature: never use it for a real bounty).
#  - ca.pem / ca.key         the fixed test CA; the running binary loads the copy in
#                             src/main/resources/jmirage/pinata/test-only/ when started with --test
#  - client.pem / client.key a client certificate signed by the test CA: `openssl s_client -cert`
#                             against port 10000
#  - server.pem / server.key a server certificate signed by the test CA: `openssl s_server` on
#                             port 40001 (for 10001), or a TLS server over a connection to 10002
# EC P-256 keys (PKCS#8), SHA-256 signatures, the profile platform/tls's PathValidator requires
# (critical basicConstraints, SKI in the CA, AKI keyid in leaves, non-critical EKU).
# Run from this directory: sh make-test-pki.sh
set -eu
days=7300
cat > ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = btc-pinata TEST CA (public, test only)
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost, IP:127.0.0.1
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
openssl req -new -x509 -config ca.cnf -key ca.key -sha256 -days $days -set_serial 0x1001 -out ca.pem
for who in client server; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $who.key
  openssl req -new -key $who.key -subj "/CN=btc-pinata test $who" -out $who.csr
  openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -set_serial 0x$(openssl rand -hex 8 | sed 's/^./1/') \
      -sha256 -days $days -extfile ca.cnf -extensions $who -out $who.pem
  rm $who.csr
done
rm ca.cnf
mkdir -p ../../../main/resources/jmirage/pinata/test-only
cp ca.pem ca.key ../../../main/resources/jmirage/pinata/test-only/
