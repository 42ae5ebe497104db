#!/usr/bin/env bash
# Runs QDoc over the public headers for the `docs` target and the qdoc_warnings
# test; docs/CMakeLists.txt passes the arguments and the environment.
#   --output DIR   where the HTML and the .qhp go
#   --check        fail on any QDoc warning, and on any public declaration in
#                  lib/include/Cancellation that has no documentation
# QDoc sees the headers through <name>.h.cpp links (see docs/CMakeLists.txt);
# its messages are rewritten to name the headers themselves.
set -euo pipefail

check=0
while [ $# -gt 0 ]; do
    case $1 in
        --qdoc) qdoc=$2; shift ;;
        --config) config=$2; shift ;;
        --includes) includes=$2; shift ;;
        --sources) sources=$2; shift ;;
        --source-root) source_root=$2; shift ;;
        --output) output=$2; shift ;;
        --check) check=1 ;;
        *) echo "run-qdoc: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

headers=$source_root/lib/include/Cancellation
to_headers() { sed -e "s|$sources/\([a-z_]*\.h\)\.cpp|$headers/\1|g"; }

# run_qdoc LOG [qdoc options]: the QDoc messages, with header paths, in LOG.
run_qdoc() {
    local log=$1
    shift
    rm -rf "$output"
    mkdir -p "$output"
    "$qdoc" "$config" -outputdir "$output" "@$includes" "$@" 2>&1 | to_headers >"$log"
}

if [ $check -eq 0 ]; then
    run_qdoc "$output.log"
    grep -E '(warning|error):' -A1 "$output.log" | grep -v '^--$' || true
    exit 0
fi

status=0
log=$output.log
run_qdoc "$log"
# Anything but QDoc's four progress lines counts: warnings, errors, notes.
progress='^qt\.qdoc: ((Start|End) qdoc for|Parse source files for|Source files parsed for) '
if grep -vqE "$progress" "$log"; then
    grep -vE "$progress" "$log"
    echo "FAIL: $(grep -vE "$progress" "$log" | grep -cvE '^ ') QDoc messages"
    status=1
fi

# Undocumented declarations are dropped from the reference without a warning:
# QDoc marks them internal. With --showinternal the index lists them, with the
# file and line of each; a declaration is public API when it is a property, or
# when the nearest access label above it in its scope says so (a struct or a
# namespace other than detail without one is public, a class private).
index=$output/cancellationtoken.index
run_qdoc "$output-internal.log" --showinternal --prepare
# QDoc may also keep an internal twin of a documented declaration: skip those.
nodes='class|struct|union|namespace|enum|typedef|function|property|variable'
node_fields='s/^<([a-z]+) name="([^"]*)".* filepath="([^"]*)" lineno="([0-9]+)".*/\1 \2 \3 \4/p'
documented=$(grep -oE "<($nodes) [^>]*" "$index" | grep -v 'status="internal"' |
    sed -nE "$node_fields")
grep -oE "<($nodes) [^>]*status=\"internal\"[^>]*" "$index" |
    grep -vE 'fullname="(Cancellation::detail[":]|[^C]|C[^a])' |
    sed -nE "$node_fields" |
    while read -r kind name file line; do
        case $name in qt_* | QtGadgetHelper | staticMetaObject | QMetaTypeId) continue ;; esac
        case $file in "$headers"/*) ;; *) continue ;; esac
        if grep -qxF "$kind $name $file $line" <<<"$documented"; then continue; fi
        if [ "$kind" != property ]; then
            access=$(awk -v line="$line" '
                NR <= line { text[NR] = $0 }
                END {
                    if (text[line] ~ /= *delete/) { print "deleted"; exit }
                    depth = 0
                    for (i = line - 1; i >= 1; --i) {
                        t = text[i]
                        if (depth == 0 && t ~ /^[ \t]*(public|public Q_SLOTS|Q_SIGNALS)[ \t]*:/) {
                            print "public"; exit
                        }
                        if (depth == 0 && t ~ /^[ \t]*(protected|private)([ \t]+Q_SLOTS)?[ \t]*:/) {
                            print "private"; exit
                        }
                        depth += gsub(/}/, "}", t) - gsub(/{/, "{", t)
                        if (depth >= 0)
                            continue
                        # Left the enclosing scope: its head is this line or the one above.
                        head = t ~ /^[ \t]*{[ \t]*$/ ? text[i - 1] : t
                        if (head ~ /(^|[ \t])namespace[ \t]+[A-Za-z:]*detail/) print "private"
                        else if (head ~ /(^|[ \t])(class|union)[ \t]/) print "private"
                        else print "public"
                        exit
                    }
                    print "public"
                }' "$file")
            [ "$access" = public ] || continue
        fi
        echo "${file#"$source_root"/}:$line: undocumented public $kind $name"
    done >"$output-undocumented.txt"
if [ -s "$output-undocumented.txt" ]; then
    cat "$output-undocumented.txt"
    echo "FAIL: $(wc -l <"$output-undocumented.txt") undocumented public declarations"
    status=1
fi
[ $status -eq 0 ] && echo "PASS: no QDoc warnings, every public declaration documented"
exit $status
