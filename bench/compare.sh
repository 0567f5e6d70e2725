#!/usr/bin/env bash
# Compares, in one run on this machine, vrun against bash and Ansible:
#   (a) start-up: a trivial recipe vs `bash -c true` vs an empty Ansible play;
#   (b) per-step cost: 1000 run("true") steps vs a bash loop of 1000 /bin/true
#       vs 100 Ansible `command: /bin/true` tasks.
# Prints a Markdown table of medians (hyperfine) and the ratios the targets use.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (make bench installs it as root)" >&2; exit 1; }
command -v jq >/dev/null || { echo "bench: jq missing" >&2; exit 1; }
[ -x bin/vrun ] || go build -o bin/vrun ./cmd/vrun

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'x = 1\n' > "$work/trivial.star"
printf 'for i in range(1000):\n    run("true")\n' > "$work/steps.star"
printf -- '- hosts: all\n  gather_facts: false\n  tasks: []\n' > "$work/empty.yml"
{
  printf -- '- hosts: all\n  gather_facts: false\n  tasks:\n'
  for i in $(seq 100); do printf '    - command: /bin/true\n'; done
} > "$work/tasks100.yml"
export ANSIBLE_HOME="$work/ansible" ANSIBLE_LOCAL_TEMP="$work/ansible/tmp" ANSIBLE_NOCOLOR=1 \
  ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_RETRY_FILES_ENABLED=0
ansible() { ansible-playbook -i localhost, -c local "$@" >/dev/null; }

# median seconds of one command (hyperfine, no shell in between)
median() { # runs warmup argv...
  local runs=$1 warm=$2; shift 2
  local cmd
  cmd=$(printf '%q ' "$@") # hyperfine -N splits the command line like a shell
  hyperfine -N -w "$warm" -r "$runs" --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
  jq '.results[0].median' "$work/h.json"
}

vrun_start=$(median 30 3 bin/vrun "$work/trivial.star")
bash_start=$(median 30 3 bash -c true)
have_ansible=0
if command -v ansible-playbook >/dev/null; then
  have_ansible=1
  ansible_start=$(median 3 1 ansible-playbook -i localhost, -c local "$work/empty.yml")
fi
vrun_steps=$(median 10 1 bin/vrun "$work/steps.star")
bash_steps=$(median 10 1 bash -c 'for i in $(seq 1000); do /bin/true; done')
if [ $have_ansible = 1 ]; then
  ansible_steps=$(median 1 0 ansible-playbook -i localhost, -c local "$work/tasks100.yml")
fi

ms() { jq -n "$1 * 100000 | round / 100"; }
per_step_vrun=$(jq -n "($vrun_steps - $vrun_start) / 1000 * 1e6 | round")
per_step_bash=$(jq -n "($bash_steps - $bash_start) / 1000 * 1e6 | round")
echo "## vrun vs bash vs Ansible ($(date -u +%F), $(nproc) cores, $(uname -r))"
echo
echo "| measure | vrun | bash | ansible |"
echo "|---|---|---|---|"
if [ $have_ansible = 1 ]; then
  echo "| start-up, trivial recipe / \`bash -c true\` / empty play (median ms) | $(ms "$vrun_start") | $(ms "$bash_start") | $(ms "$ansible_start") |"
  echo "| 1000 \`run(\"true\")\` / 1000 \`/bin/true\` / 100 \`command\` tasks (ms) | $(ms "$vrun_steps") | $(ms "$bash_steps") | $(ms "$ansible_steps") |"
  echo "| per step (µs, start-up subtracted) | $per_step_vrun | $per_step_bash | $(jq -n "($ansible_steps - $ansible_start) / 100 * 1e6 | round") |"
else
  echo "| start-up (median ms) | $(ms "$vrun_start") | $(ms "$bash_start") | not installed |"
  echo "| per step (µs) | $per_step_vrun | $per_step_bash | not installed |"
fi
echo
echo "- start-up target ≤ 15 ms: $(ms "$vrun_start") ms"
[ $have_ansible = 1 ] && echo "- start-up vs empty Ansible play (target ≥ 30×): $(jq -n "$ansible_start / $vrun_start | round")×"
echo "- per-step overhead vs the bash loop (target ≤ 1.5×): $(jq -n "$per_step_vrun / $per_step_bash * 100 | round / 100")×"
