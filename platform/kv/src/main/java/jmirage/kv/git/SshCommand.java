package jmirage.kv.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * {@code ssh://} remotes through the system's OpenSSH client, as the {@code git} command does: JGit
 * runs {@code git-upload-pack} and {@code git-receive-pack} on the remote through an {@code ssh}
 * process that never prompts ({@code BatchMode}) and checks the host key strictly. With a key file
 * it authenticates with that key only (no agent) and takes {@code known_hosts} beside the key file
 * if there is one; without, the user's own ssh setup applies.
 */
final class SshCommand extends SshSessionFactory {

    /** Null: the user's own ssh setup (keys, agent, known_hosts). */
    private final Path key;

    SshCommand(Path key) {
        this.key = key == null ? null : key.toAbsolutePath();
    }

    @Override
    public RemoteSession getSession(URIish uri, CredentialsProvider credentials, FS fs, int timeoutMillis)
            throws TransportException {
        if (key != null && !Files.isReadable(key)) {
            throw new TransportException(uri, "cannot read the ssh key " + key);
        }
        return new RemoteSession() {
            @Override
            public Process exec(String command, int timeoutSeconds) throws IOException {
                List<String> ssh = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"));
                if (key != null) {
                    ssh.addAll(List.of("-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", key.toString()));
                    Path knownHosts = key.resolveSibling("known_hosts");
                    if (Files.exists(knownHosts)) {
                        ssh.addAll(List.of("-o", "UserKnownHostsFile=" + knownHosts));
                    }
                }
                if (timeoutSeconds > 0) {
                    ssh.addAll(List.of("-o", "ConnectTimeout=" + timeoutSeconds));
                }
                if (uri.getPort() > 0) {
                    ssh.addAll(List.of("-p", Integer.toString(uri.getPort())));
                }
                ssh.add(uri.getUser() != null ? uri.getUser() + "@" + uri.getHost() : uri.getHost());
                ssh.add(command);
                return new ProcessBuilder(ssh).start();
            }

            @Override
            public void disconnect() {
                // one process per command; nothing is kept open
            }
        };
    }

    @Override
    public String getType() {
        return "openssh-command";
    }
}
