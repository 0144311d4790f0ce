#!/bin/bash
# screenshots.sh — regenerate the README's screenshots of the terminal UI (tui/screenshots/)
# from the real program: it builds calltail, writes a simulated log (--generate, the same
# every time), opens it with --no-follow in a tmux window of 160x45, drives it with keys
# and renders each screen, in its colours, to a PNG.
#
# Needs: go, tmux, aha, chromium, and pngquant to keep the PNGs small
# (apt-get install -y tmux aha chromium pngquant). Run it from anywhere in the repository.
set -euo pipefail

cd "$(git rev-parse --show-toplevel)"
out=tui/screenshots
cols=160 rows=45
session=calltail-screenshots-$$
work=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/calltail" .
"$work/calltail" --generate 20000 --seed 7 --hard >"$work/support.log"
mkdir -p "$out"

# wait_for TEXT: wait until the window shows TEXT, for 30 s at most.
wait_for() {
	for _ in $(seq 300); do
		if tmux capture-pane -p -t "$session" | grep -qF -- "$1"; then
			sleep 0.3 # the rest of the frame
			return
		fi
		sleep 0.1
	done
	echo "screenshots.sh: timed out waiting for \"$1\"; the window shows:" >&2
	tmux capture-pane -p -t "$session" >&2
	exit 1
}

# shot NAME: render the window, in its colours, to $out/NAME.png.
shot() {
	tmux capture-pane -p -e -t "$session" | aha --black --title calltail >"$work/p.html"
	sed -i 's#<pre>#<pre style="font-family:DejaVu Sans Mono,monospace;font-size:13px;line-height:1.15;margin:4px">#' "$work/p.html"
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
		--window-size=$((cols * 8 + 20)),$((rows * 15 + 20)) --screenshot="$work/$1.png" "file://$work/p.html" >/dev/null 2>&1
	if command -v pngquant >/dev/null; then
		pngquant --force --quality 60-90 --speed 1 --output "$out/$1.png" "$work/$1.png"
	else
		echo "screenshots.sh: no pngquant: $1.png is left large" >&2
		cp "$work/$1.png" "$out/$1.png"
	fi
	echo "$out/$1.png $(stat -c %s "$out/$1.png") bytes"
}

keys() { tmux send-keys -t "$session" "$@"; }

tmux new-session -d -s "$session" -x $cols -y $rows \
	"cd '$work' && TERM=xterm-256color COLORTERM= NO_COLOR= ./calltail --no-follow --theme default support.log"
wait_for "20,000 entries"

# The log panes, on the last error.
keys E
wait_for "ERROR"
shot panes

# The calls list, newest first.
keys c
wait_for "PARTICIPANT"
shot calls

# A call through a proxy: the search finds its Call-ID, o opens its call; its ladder, the
# 200 OK selected and its text beside the flow.
keys Escape
wait_for "scrolled up" # alone: an escape with a key after it is read as alt and that key
keys / 8e1896b170316a2f Enter
wait_for "match "
keys o
wait_for "Call-ID"
keys Tab
wait_for "(proxy)"
keys j j j j
sleep 0.5
shot ladder

# Its media: the streams, and the media over time as sparklines.
keys Tab
wait_for "Media over time"
shot media
