package layer

import (
	"errors"
	"path"
	"strings"
)

// maxHops is how many links one resolution may follow, as Linux's
// MAXSYMLINKS.
const maxHops = 40

var (
	errEscapes = errors.New("path escapes the layer root")
	errLoop    = errors.New("too many levels of symbolic links (more than 40)")
)

// cleanEntry turns a tar entry name into a clean relative path: "./x" and
// "/x" mean "x". A name whose ".." components climb out of the root is an
// error. The root itself is ".".
func cleanEntry(name string) (string, error) {
	p := path.Clean(strings.TrimLeft(name, "/"))
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", errEscapes
	}
	return p, nil
}

// resolve follows the symbolic and hard links of p, one component at a
// time, and returns the path of what p finally names. Resolution stays in
// the layer: an absolute target restarts at the root and ".." at the root
// stays there. Links not recorded (yet) are taken as plain names.
func (r *Result) resolve(p string) (string, error) {
	cur := "" // the resolved prefix; "" is the root
	todo := strings.Split(p, "/")
	hops := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = parent(cur)
			continue
		}
		next := join(cur, c)
		target, symlink := r.symTargets[next]
		hardTarget, hard := r.hardTargets[next]
		switch {
		case symlink:
			if strings.HasPrefix(target, "/") {
				cur = ""
			}
			todo = append(strings.Split(target, "/"), todo...)
		case hard && len(todo) == 0:
			cur = ""
			todo = strings.Split(hardTarget, "/")
		default:
			cur = next
			continue
		}
		if hops++; hops > maxHops {
			return "", errLoop
		}
	}
	if cur == "" {
		return ".", nil
	}
	return cur, nil
}

func parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// Resolve returns the path that name names in the layer once every
// symbolic and hard link is followed, so that scanners can read a file
// reached through several links once (scan.Resolver).
func (r *Result) Resolve(name string) (string, error) {
	return r.resolve(cleanRel(name))
}
