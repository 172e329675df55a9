#!/bin/bash
# make deb: the Debian packages bifurc-dkms, libbifurc0, libbifurc-dev and
# bifurcctl from this working tree, into build/deb/, then lintian on them.
#
# dpkg-buildpackage writes its results next to the source tree, so the tree
# (the files git tracks or would track, with their working-tree contents)
# is copied to build/deb/bifurc-<version>/ and built there; the checkout's
# own build directories stay untouched.  DEB_BUILD_OPTIONS is passed on
# (e.g. nocheck to skip the library's and bifurcctl's host tests).
# Fails when debian/changelog and lib/libbifurc/VERSION disagree, when the
# build fails, or when lintian reports an error or a warning.
set -euo pipefail
. "$(dirname "$0")/../testbed/lib.sh"

top=$BIFURC_TOP
out=$top/build/deb
version=$(cat "$top/lib/libbifurc/VERSION")
deb_version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
[ "${deb_version%-*}" = "$version" ] ||
	die "debian/changelog is at $deb_version but lib/libbifurc/VERSION is $version:" \
	    "add a changelog entry (dch -v $version-1)"

tree=$out/bifurc-$version
progress "deb: copying the working tree to ${tree#"$top"/}"
rm -rf "$tree"
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo "$out"/lintian.txt
mkdir -p "$tree"
parts=(Makefile README.md debian packaging kernel lib tools Documentation)
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	# tracked and untracked-but-not-ignored files, as they are now
	(cd "$top" && git ls-files -z --cached --others --exclude-standard -- "${parts[@]}" |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar -c --null -T - -f -) | tar -x -C "$tree"
else
	(cd "$top" && tar -c --exclude=build --exclude='*.o' "${parts[@]}") | tar -x -C "$tree"
fi

progress "deb: dpkg-buildpackage -us -uc -b (log: ${out#"$top"/}/build.log)"
if ! (cd "$tree" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log"
	die "dpkg-buildpackage failed; the whole log is $out/build.log"
fi
grep -E '^(libbifurc|bifurcctl): [0-9]+ passed' "$out/build.log" || true

shopt -s nullglob
debs=("$out"/*.deb)
changes=("$out"/*.changes)
[ "${#debs[@]}" -gt 0 ] && [ "${#changes[@]}" -eq 1 ] || die "no packages in $out"
progress "deb: ${#debs[@]} packages in ${out#"$top"/}/"
for d in "${debs[@]}"; do
	printf '  %-48s %8s bytes  %s\n' "${d#"$top"/}" "$(stat -c %s "$d")" \
		"$(dpkg-deb -f "$d" Package Version Architecture | awk '{ printf "%s ", $2 }')"
done

progress "deb: lintian ${changes[0]#"$top"/}"
# Errors and warnings fail make deb; info tags and overrides are shown.
# (lintian's own exit status counts overridden tags once they are shown.)
rc=0
lintian --info --display-info --show-overrides --fail-on error,warning \
	"${changes[0]}" > "$out/lintian.txt" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || {
	cat "$out/lintian.txt"
	die "lintian did not run (exit $rc)"
}
grep -E '^[EWIPXO]: ' "$out/lintian.txt" || true
summary=$(awk -F: '/^[EWIPXO]: / { n[$1]++ } END {
	printf "%d errors, %d warnings, %d info, %d pedantic, %d overridden",
	n["E"], n["W"], n["I"], n["P"], n["O"] }' "$out/lintian.txt")
progress "deb: lintian: $summary (full: ${out#"$top"/}/lintian.txt)"
! grep -qE '^[EW]: ' "$out/lintian.txt" || die "lintian reported errors or warnings"
