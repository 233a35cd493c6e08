# Sourced by the project's scripts: sets JAVA_HOME to a JDK 25 or newer, or exits with a clear message.
jmirage_java_major() { # JDK_HOME -> major version, from its release file
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
jmirage_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(jmirage_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(jmirage_find_jdk); then
  echo "jmirage needs a JDK 25 or newer: none in \$JAVA_HOME or /usr/lib/jvm." >&2
  echo "Install one (for example Temurin 25: https://adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
