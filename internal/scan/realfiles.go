package scan

// Resolver is implemented by file sets that know their links: Resolve
// returns the path that path names once every symbolic and hard link is
// followed.
type Resolver interface {
	Resolve(path string) (string, error)
}

// RealFiles drops from paths those that lead to a file already counted:
// another of the paths, or the target of an earlier link. So a file
// reached through links (usr/bin/runc → ../sbin/runc, or
// usr/share/java/x-1.0.jar → x.jar) is read once, at its own path when
// that is listed. A file set that cannot resolve links has every path
// counted.
func RealFiles(files FileSet, paths []string) []string {
	r, ok := files.(Resolver)
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
