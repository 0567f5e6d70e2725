#!/usr/bin/env bash
# The 50-host SSH fan-out of issue 15, in one run on this machine: a play of
# five commands per host (true, uname -r, cat /proc/loadavg, true, true) on
# 50 sshd ports on 127.0.0.1, run by
#   - vrun: on(hosts, play, parallel = 50), one connection per host;
#   - Ansible: forks 50, pipelining, ControlPersist, no fact gathering;
#   - xargs -P 50 ssh, one connection per host running the five commands;
#   - xargs -P 50 ssh, one connection per command (five in turn per host).
# Prints a Markdown table of medians. Needs root (sshd, the login user).
# Usage: bench/fanout.sh [hosts]; FANOUT_RUNS (default 5) and
# FANOUT_ANSIBLE_RUNS (default 3) set the number of timed runs.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
RUNS=${FANOUT_RUNS:-5}
ARUNS=${FANOUT_ANSIBLE_RUNS:-3}
USER_=vrunbench # a login user of its own: root's ~/.bashrc costs ~1 s per command here
for t in sshd ssh ssh-keygen hyperfine jq; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "fanout: $t missing (make bench installs it as root)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "fanout: needs root (sshd daemons, the login user $USER_)" >&2; exit 1; }
[ -x bin/vrun ] || CGO_ENABLED=0 go build -o bin/vrun ./cmd/vrun
vrun=$PWD/bin/vrun

# The login user: /bin/sh, and a '*' password (sshd refuses keys of a '!'
# locked account).
if ! id "$USER_" >/dev/null 2>&1; then
  useradd -m -s /bin/sh "$USER_"
  usermod -p '*' "$USER_"
fi

work=$(mktemp -d /tmp/vrun-fanout-XXXXXX)
chmod 755 "$work" # the login user reads authorized_keys in here
pids=()
cleanup() {
  # sshd daemons, their per-connection children and the commands under
  # them, by pid; then whatever the login user still runs.
  local p all=()
  for p in "${pids[@]}"; do all+=("$p" $(descendants "$p")); done
  [ ${#all[@]} -gt 0 ] && kill -KILL "${all[@]}" 2>/dev/null || true
  for p in $(pgrep -u "$USER_" || true); do kill -KILL "$p" 2>/dev/null || true; done
  # Ansible's ControlPersist masters, by their sockets.
  for s in "$work"/cp/*; do
    [ -S "$s" ] && ssh -o ControlPath="$s" -O exit dummy >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
descendants() {
  local c
  for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done
}
trap cleanup EXIT

# Keys: one host key for all daemons, one client key.
ssh-keygen -q -t ed25519 -N '' -f "$work/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/authorized_keys"
chmod 644 "$work/authorized_keys"
mkdir -p /run/sshd "$work/cp" "$work/home/.ssh"

# N free ports: bind them all at once, then release.
mapfile -t ports < <(python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in ss))' "$N")

# One sshd per 16 ports (sshd's limit), started in the foreground (-D) so
# the pid is known at once.
sshd=$(command -v sshd || echo /usr/sbin/sshd)
for ((d = 0; d * 16 < N; d++)); do
  conf="$work/sshd$d.conf"
  {
    for ((i = d * 16; i < N && i < (d + 1) * 16; i++)); do echo "Port ${ports[$i]}"; done
    cat <<EOF
ListenAddress 127.0.0.1
HostKey $work/host_ed25519
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd$d.pid
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $USER_
MaxStartups 200:30:400
MaxSessions 100
EOF
  } > "$conf"
  "$sshd" -D -f "$conf" -E "$work/sshd$d.log" &
  pids+=($!)
  disown $! # killed by pid at the end, without bash's "Killed" notice
done

# Client side: ssh_config aliases b1..bN, known_hosts for every port; vrun
# reads $HOME/.ssh/config, ssh gets -F.
: > "$work/known_hosts"
cfg="$work/home/.ssh/config"
: > "$cfg"
inv="$work/hosts.ini"
echo "[bench]" > "$inv"
hosts=()
for ((i = 0; i < N; i++)); do
  p=${ports[$i]}
  echo "[127.0.0.1]:$p $(cut -d' ' -f1,2 "$work/host_ed25519.pub")" >> "$work/known_hosts"
  printf 'Host b%d\n  Port %d\n' $((i + 1)) "$p" >> "$cfg"
  echo "b$((i + 1)) ansible_host=127.0.0.1 ansible_port=$p" >> "$inv"
  hosts+=("b$((i + 1))")
done
cat >> "$cfg" <<EOF
Host b*
  HostName 127.0.0.1
  User $USER_
  IdentityFile $work/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $work/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ControlMaster no
EOF

# Wait until every port answers as sshd.
for ((i = 0; i < N; i++)); do
  for ((k = 0; k < 250; k++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/${ports[$i]}") 2>/dev/null && break
    sleep 0.02
  done
done
ssh -F "$cfg" b1 true || { echo "fanout: cannot log in to b1:"; cat "$work"/sshd0.log; exit 1; } >&2

# The play, four ways.
cat > "$work/play.star" <<EOF
def play(h):
    h.run("true")
    h.run("uname", "-r")
    h.run("cat", "/proc/loadavg")
    h.run("true")
    h.run("true")

on(["b%d" % i for i in range(1, $N + 1)], play, parallel = 50)
EOF
cat > "$work/play.yml" <<EOF
- hosts: bench
  gather_facts: false
  tasks:
    - command: "true"
    - command: uname -r
    - command: cat /proc/loadavg
    - command: "true"
    - command: "true"
EOF
printf '%s\n' "${hosts[@]}" > "$work/hostlist"
cat > "$work/per-host.sh" <<EOF
#!/bin/sh
xargs -P 50 -I{} ssh -F $cfg {} 'true; uname -r; cat /proc/loadavg; true; true' < $work/hostlist > /dev/null
EOF
# The same floor with the key exchange x/crypto/ssh picks (curve25519):
# OpenSSH 9's default, sntrup761x25519, costs ~80 ms of CPU per connection.
cat > "$work/per-host-x25519.sh" <<EOF
#!/bin/sh
xargs -P 50 -I{} ssh -F $cfg -o KexAlgorithms=curve25519-sha256 {} 'true; uname -r; cat /proc/loadavg; true; true' < $work/hostlist > /dev/null
EOF
cat > "$work/per-command.sh" <<EOF
#!/bin/sh
xargs -P 50 -I{} sh -c 'ssh -F $cfg {} true && ssh -F $cfg {} uname -r && ssh -F $cfg {} cat /proc/loadavg && ssh -F $cfg {} true && ssh -F $cfg {} true' < $work/hostlist > /dev/null
EOF
cat > "$work/vrun.sh" <<EOF
#!/bin/sh
HOME=$work/home exec $vrun -q $work/play.star > /dev/null
EOF
export ANSIBLE_HOME="$work/ansible" ANSIBLE_LOCAL_TEMP="$work/ansible/tmp" ANSIBLE_NOCOLOR=1 \
  ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_FORKS=50 \
  ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=1 ANSIBLE_SSH_CONTROL_PATH_DIR="$work/cp" \
  ANSIBLE_REMOTE_USER="$USER_" ANSIBLE_PRIVATE_KEY_FILE="$work/id_ed25519" \
  ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$work/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes"
cat > "$work/ansible.sh" <<EOF
#!/bin/sh
exec ansible-playbook -i $inv $work/play.yml > $work/ansible.out
EOF
chmod +x "$work"/*.sh

# Each way once for correctness (and to fail loudly), then timed.
for w in vrun per-host per-host-x25519 per-command; do
  "$work/$w.sh" 2>"$work/$w.err" || { cat "$work/$w.err"; echo "fanout: $w failed"; exit 1; } >&2
done
# Ansible's run takes long: its first timed run is its check (hyperfine
# stops on a failure).
have_ansible=0
command -v ansible-playbook >/dev/null && have_ansible=1

median() { # runs script
  hyperfine -N -r "$1" --export-json "$work/h.json" "$2" >/dev/null 2>"$work/h.err" ||
    { echo "fanout: $2 failed:"; cat "$work/h.err"; tail -20 "$work/ansible.out" 2>/dev/null; exit 1; } >&2
  jq -r '.results[0] | "\(.median) \(.times | map(. * 100 | round / 100) | join(", "))"' "$work/h.json"
}
med() { echo "${1%% *}"; } # the median of median's answer
r_vrun=$(median "$RUNS" "$work/vrun.sh")
r_host=$(median "$RUNS" "$work/per-host.sh")
r_x255=$(median "$RUNS" "$work/per-host-x25519.sh")
r_cmd=$(median "$RUNS" "$work/per-command.sh")
[ $have_ansible = 1 ] && r_ans=$(median "$ARUNS" "$work/ansible.sh")
t_vrun=$(med "$r_vrun") t_host=$(med "$r_host")
[ $have_ansible = 1 ] && t_ans=$(med "$r_ans")

s() { jq -n "$1 * 100 | round / 100"; }
echo "## 50-host fan-out, 5 commands per host ($(date -u +%F), $(nproc) cores, $(uname -r), $N hosts)"
echo
echo "| runner | median (s) | runs, in order (s) |"
echo "|---|---|---|"
row() { echo "| $1 | $(s "$(med "$2")") | ${2#* } |"; }
row "vrun \`on(hosts, play, parallel = 50)\`" "$r_vrun"
[ $have_ansible = 1 ] && row "Ansible (forks 50, pipelining, ControlPersist, no facts)" "$r_ans"
row "\`xargs -P 50 ssh\`, one connection per host" "$r_host"
row "same, \`-o KexAlgorithms=curve25519-sha256\`" "$r_x255"
row "\`xargs -P 50 ssh\`, one connection per command" "$r_cmd"
echo
[ $have_ansible = 1 ] && echo "- vrun vs Ansible (target ≥ 15×): $(jq -n "$t_ans / $t_vrun * 10 | round / 10")×"
echo "- vrun vs one connection per host (target ≤ 1×): $(jq -n "$t_vrun / $t_host * 100 | round / 100")×"
echo "- vrun vs that floor with curve25519: $(jq -n "$t_vrun / $(med "$r_x255") * 100 | round / 100")×"
