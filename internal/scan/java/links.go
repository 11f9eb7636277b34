package java

import "github.com/strata-scan/strata/internal/scan"

// resolver is implemented by file sets that know their links. Resolve
// returns the path that path names once every symbolic and hard link is
// followed.
type resolver interface {
	Resolve(path string) (string, error)
}

// realFiles drops from paths those that lead to a file already counted:
// another of the paths, or the target of an earlier link. So an archive
// reached through links (usr/share/java/x-1.0.jar → x.jar) is read once,
// at its own path when that is listed. A file set that cannot resolve
// links has every path counted.
func realFiles(files scan.FileSet, paths []string) []string {
	r, ok := files.(resolver)
	if !ok {
		return paths
	}
	listed := make(map[string]bool, len(paths))
	for _, p := range paths {
		listed[p] = true
	}
	seen := make(map[string]bool, len(paths))
	var out []string
	for _, p := range paths {
		t, err := r.Resolve(p)
		if err != nil {
			t = p
		}
		if (t != p && listed[t]) || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, p)
	}
	return out
}
