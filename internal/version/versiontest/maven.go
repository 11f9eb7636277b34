package versiontest

import (
	"archive/zip"
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// mavenJava answers "a<US>b" lines with Maven's ComparableVersion; java
// runs it from source (JDK 11 and later).
const mavenJava = `
import java.io.*;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenRef {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, "UTF-8")));
        for (String line; (line = in.readLine()) != null; ) {
            int t = line.indexOf('\u001f');
            ComparableVersion a = new ComparableVersion(line.substring(0, t));
            ComparableVersion b = new ComparableVersion(line.substring(t + 1));
            out.println(Integer.signum(a.compareTo(b)));
        }
        out.flush();
    }
}
`

type mavenTool struct{ jar, version string }

// findMaven looks for maven-artifact's jar: $STRATA_MAVEN_ARTIFACT_JAR,
// Debian's maven package, or the local Maven repository.
func findMaven() (Oracle, error) {
	if _, err := exec.LookPath("java"); err != nil {
		return nil, unavailable("java (Debian package default-jdk-headless)")
	}
	candidates := []string{os.Getenv("STRATA_MAVEN_ARTIFACT_JAR")}
	for _, glob := range []string{"/usr/share/maven/lib/maven-artifact*.jar",
		filepath.Join(os.Getenv("HOME"), ".m2/repository/org/apache/maven/maven-artifact/*/maven-artifact-*.jar")} {
		m, _ := filepath.Glob(glob)
		candidates = append(candidates, m...)
	}
	for _, jar := range candidates {
		if v, ok := jarVersion(jar); ok {
			return mavenTool{jar: jar, version: v}, nil
		}
	}
	return nil, unavailable("maven-artifact's jar (Debian package maven)")
}

// jarVersion reads maven-artifact's version from the jar's pom.properties.
func jarVersion(jar string) (string, bool) {
	if jar == "" {
		return "", false
	}
	z, err := zip.OpenReader(jar)
	if err != nil {
		return "", false
	}
	defer z.Close()
	f, err := z.Open("META-INF/maven/org.apache.maven/maven-artifact/pom.properties")
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "version="); ok {
			return v, true
		}
	}
	return "", false
}

func (m mavenTool) Name() string { return "ComparableVersion (maven-artifact " + m.version + ")" }

func (mavenTool) Strict() bool { return false }

func (m mavenTool) Compare(ctx context.Context, pairs []Pair, _ []int) ([]int, error) {
	dir, err := os.MkdirTemp("", "strata-maven-ref")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "MavenRef.java")
	if err := os.WriteFile(src, []byte(mavenJava), 0o644); err != nil {
		return nil, err
	}
	return lineTool{name: "ComparableVersion", argv: []string{"java", "-cp", m.jar, src}}.run(ctx, requestLines(pairs))
}
