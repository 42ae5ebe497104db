#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Captures cancellation-demo's window under Xvfb into resources/screenshots/:
#   running.png        a run in progress (poll mode, so the workers sleep, then check)
#   canceling.png      right after Esc, while the sleeping workers have not noticed yet
#   canceled.png       after Esc, once every worker has stopped
#   timed-out.png      a run stopped by its timeout, in a dark palette where GTK's theme is there
# each three times: at the default size, 1100x720 (the README's), in 800x600/ on an 800x600
# screen, and in scale2/ at QT_SCALE_FACTOR=2 on a 1600x1000 screen (800x500 logical);
# and tour/step-1.png to tour/step-9.png at 1100x720: each step of "Learn the pattern", tried and
# then done as its text says.
#
# Usage: scripts/screenshots.sh [path/to/cancellation-demo]
# The default binary is build/app/cancellation-demo; CANCELLATION_DEMO overrides it too.
# Installs xvfb, xdotool and imagemagick with apt-get if they are missing (sudo unless root).
# SCREENSHOT_DIR writes the images elsewhere. The app runs with a throw-away settings
# directory, so your own settings are left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=${1:-${CANCELLATION_DEMO:-$root/build/app/cancellation-demo}}
out=${SCREENSHOT_DIR:-$root/resources/screenshots}

if [[ ! -x $app ]]; then
    echo "screenshots.sh: $app is not an executable; build first or pass its path" >&2
    exit 2
fi

missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v xdotool >/dev/null || missing+=(xdotool)
command -v import >/dev/null || missing+=(imagemagick)
if ((${#missing[@]})); then
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi

work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
    [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# start_display WxH: an Xvfb screen of that size, on a free display it tells us.
start_display() {
    rm -f "$work/display"
    Xvfb -displayfd 3 -screen 0 "$1x24" -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
    xvfb_pid=$!
    for _ in $(seq 100); do
        [[ -s $work/display ]] && break
        sleep 0.1
    done
    [[ -s $work/display ]] || { echo "screenshots.sh: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
    export DISPLAY=:$(cat "$work/display")
}

stop_display() {
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
    xvfb_pid=
}

export XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=xcb
window_size=1100x720
set_dir=$out

# run_app <args...>: starts the app and sets app_pid and window.
run_app() {
    "$app" "$@" >"$work/stdout" 2>"$work/stderr" &
    app_pid=$!
    window=$(xdotool search --sync --onlyvisible --name 'Cancellation token demo' | head -n1)
    xdotool windowmove "$window" 0 0 windowsize "$window" "${window_size%x*}" "${window_size#*x}"
    xdotool windowfocus --sync "$window"
}

# quit_app: Ctrl+Q, then check the exit status.
quit_app() {
    xdotool key --clearmodifiers ctrl+q
    local status=0
    wait "$app_pid" || status=$?
    app_pid=
    if ((status != 0)); then
        echo "screenshots.sh: the app exited with status $status" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
}

shot() {
    import -window "$window" "$set_dir/$1"
    echo "wrote $set_dir/$1"
}

# wait_for_lines: waits for the next burst of "Hello World!" lines on the app's stdout.
wait_for_lines() {
    local before
    before=$(wc -l <"$work/stdout")
    for _ in $(seq 200); do
        (($(wc -l <"$work/stdout") > before)) && return 0
        sleep 0.05
    done
    echo "screenshots.sh: no new lines from the app" >&2
    exit 1
}

# row_of_worker N: "x y" of the Nth row of blue state swatches in the window's left 400 px.
row_of_worker() {
    import -window "$window" "$work/probe.png"
    convert "$work/probe.png" -crop 400x2000+0+0 +repage txt:- |
        awk -v n="$1" -F'[,: ]+' 'toupper($0) ~ /#1E88E5/ {
            if ($2 > last + 3 && ++rows == n) print $1 + 40, $2 + 5
            last = $2 }' # reads to the end: an early exit would fail the pipe
}

# take_set: the four screenshots into $set_dir.
take_set() {
    mkdir -p "$set_dir"
    # Settings of their own: a set does not start with what the one before saved.
    export XDG_CONFIG_HOME=$work/config-${set_dir//\//-}
    # A returning user's window: the tour was offered once already.
    mkdir -p "$XDG_CONFIG_HOME/CancellationToken"
    printf '[tour]\noffered=true\n' > "$XDG_CONFIG_HOME/CancellationToken/cancellation-demo.conf"
    # Mid-run, then after Esc. Poll mode with a 2 s interval leaves time to see workers that have not
    # noticed the cancel yet. Esc comes just after a burst of lines, so that every worker is asleep.
    run_app --start --workers 8 --interval 2s --mode poll --timeout 1m
    wait_for_lines
    sleep 0.5
    # Select worker 3 in the table and cancel it alone (Delete). Its row is found by the blue
    # "sleeping" swatches at the left of the workers table; ROW3_X and ROW3_Y override.
    row3=$(row_of_worker 3)
    [[ -n $row3 ]] || row3="150 386"
    xdotool mousemove --window "$window" "${ROW3_X:-${row3% *}}" "${ROW3_Y:-${row3#* }}" click 1
    xdotool key Delete
    wait_for_lines
    sleep 0.8
    shot running.png
    wait_for_lines
    sleep 0.4
    xdotool key Escape
    sleep 0.5
    shot canceling.png
    sleep 2
    shot canceled.png
    quit_app

    # A deadline checked on poll: the token times out when a worker next checks it. Shown in a dark
    # palette, through Qt's GTK platform theme where it is installed.
    if compgen -G '/usr/lib/*/qt6/plugins/platformthemes/libqgtk3.so' >/dev/null; then
        export QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark
    fi
    run_app --start --quiet --workers 4 --interval 700ms --mode poll --timeout 2s --timeout-style deadline
    sleep 4
    shot timed-out.png
    quit_app
    unset QT_QPA_PLATFORMTHEME GTK_THEME
}

# take_tour: each step of the tour through --tour N --start, then what its text asks, into
# $set_dir/step-N.png: keys, a real SIGINT, and one click on a table row found by its colour.
take_tour() {
    mkdir -p "$set_dir"
    export XDG_CONFIG_HOME=$work/config-tour
    mkdir -p "$XDG_CONFIG_HOME/CancellationToken"
    printf '[tour]\noffered=true\n' > "$XDG_CONFIG_HOME/CancellationToken/cancellation-demo.conf"
    local step
    for step in 1 2 3 4 5 6 7 8 9; do
        run_app --tour "$step" --start
        case $step in
        1) # Esc changes nothing for a loop that never checks its token.
            wait_for_lines; wait_for_lines; xdotool key Escape; wait_for_lines; sleep 0.3 ;;
        2) # Esc twice: the second cancel returns false; the worker stops at its next check.
            wait_for_lines; sleep 0.3; xdotool key Escape Escape; sleep 1.5 ;;
        3) # A real SIGINT, as Ctrl+C in a terminal sends.
            wait_for_lines; sleep 0.3; kill -INT "$app_pid"; sleep 0.8 ;;
        4) wait_for_lines; sleep 0.3; xdotool key Escape; sleep 0.8 ;;
        5) sleep 4 ;;  # the timer's 3 s
        6) sleep 4.2 ;; # the 2.5 s deadline, and up to one 1 s interval until a check
        7) # Just after Esc: the waiting workers have stopped, the sleeping ones not yet.
            wait_for_lines; wait_for_lines; sleep 0.3; xdotool key Escape; sleep 0.3 ;;
        8) # Worker 2 alone: its row in the table, then Delete.
            wait_for_lines; sleep 0.3
            row2=$(row_of_worker 2)
            [[ -n $row2 ]] || row2="150 466"
            xdotool mousemove --window "$window" "${row2% *}" "${row2#* }" click 1
            xdotool key Delete; wait_for_lines; sleep 0.3 ;;
        9) # Esc: three stop, worker 1 prints on.
            wait_for_lines; sleep 0.2; xdotool key Escape; sleep 1.2 ;;
        esac
        shot "step-$step.png"
        quit_app
    done
}

# The README's size, then a small screen, then twice the scale on a larger one.
start_display 1280x860
window_size=1100x720 set_dir=$out take_set
window_size=1100x720 set_dir=$out/tour take_tour
stop_display
start_display 800x600
window_size=800x600 set_dir=$out/800x600 take_set
stop_display
start_display 1600x1000
QT_SCALE_FACTOR=2 window_size=1600x1000 set_dir=$out/scale2 take_set
stop_display
