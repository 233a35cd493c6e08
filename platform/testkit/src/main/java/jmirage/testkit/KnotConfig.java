package jmirage.testkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration of a knotd that tests start as a primary taking dynamic updates (RFC 2136)
 * signed with one TSIG key: the certify tests' (CertifyPrimary) and the DHCP server's (its dynamic
 * DNS). Changes stay in knotd's journal (the zone files are never written back), logged on stderr.
 */
public final class KnotConfig {

    private KnotConfig() {}

    /**
     * knotd listening on {@code address} port {@code port}, its state under {@code dir}, serving each
     * zone of {@code zones} (its name, without the final dot, to its master file) to updates signed
     * with the hmac-sha256 key {@code keyName} whose secret is {@code secret} (base64).
     */
    public static String updatable(String address, int port, Path dir, String keyName, String secret, Map<String, Path> zones) {
        StringBuilder zoneList = new StringBuilder();
        zones.forEach((name, file) -> zoneList.append("  - domain: ").append(name).append('\n')
                .append("    file: ").append(file).append('\n')
                .append("    acl: update\n"));
        return """
                server:
                    listen: %s@%d
                    rundir: %s
                log:
                  - target: stderr
                    any: info
                database:
                    storage: %s/storage
                key:
                  - id: %s
                    algorithm: hmac-sha256
                    secret: %s
                acl:
                  - id: update
                    key: %s
                    action: update
                template:
                  - id: default
                    storage: %s/storage
                    zonefile-sync: -1
                    journal-content: all
                zone:
                """.formatted(address, port, dir, dir, keyName, secret, keyName, dir) + zoneList;
    }
}
