package layer

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// realResult is what the tests check of a real layer from testdata.
type realResult struct {
	DiffID    string
	Whiteouts []string
	Opaques   []string
	Reads     map[string]readResult
}

func TestWalkRealLayers(t *testing.T) {
	sample := readResult{Body: "sample text\n"}
	loop := func(p string) readResult {
		return readResult{Err: "read " + p + ": too many levels of symbolic links (more than 40)", NotExist: true}
	}
	for _, tc := range []struct {
		file  string
		wants []string
		want  realResult
	}{
		{
			file: "whiteout.layer",
			want: realResult{
				DiffID:    "sha256:b2414873f4734c1cf4b52d7ddf0ab87da9e1a6b5b82fd9e65ce932784ab7d808",
				Whiteouts: []string{"etc/profile"},
			},
		},
		{
			file: "whiteout_advanced.layer",
			want: realResult{
				DiffID:    "sha256:afe4f8ddb9203e12969d68a580081b8d869e6cbe021d76bc0f213f6658472d02",
				Whiteouts: []string{"a/a_file.txt", "a_root_file.txt", "b"},
			},
		},
		{
			file: "whiteout_opaque.layer",
			want: realResult{
				DiffID:  "sha256:b339acfeb8a6c4d9b67dcb345b361d58efedc7e5410d8450d136acaecc4bb3b8",
				Opaques: []string{"a"},
			},
		},
		{
			// The links come before the file they point to.
			file:  "scalibr-symlink-basic.layer",
			wants: []string{"dir1/absolute-symlink.txt", "dir1/chain-symlink.txt", "dir1/relative-dot-symlink.txt", "dir1/relative-symlink.txt"},
			want: realResult{
				DiffID: "sha256:6f1435e4fd1ed707bcc49ac5b299f6b8068ed8faed2e5b39c2fb755263a325da",
				Reads: map[string]readResult{
					"dir1/absolute-symlink.txt": sample, "dir1/chain-symlink.txt": sample,
					"dir1/relative-dot-symlink.txt": sample, "dir1/relative-symlink.txt": sample,
					"dir1/sample.txt": sample,
				},
			},
		},
		{
			file:  "scalibr-symlink-cycle.layer",
			wants: []string{"dir1/sample.txt", "dir1/chain-symlink.txt"},
			want: realResult{
				DiffID: "sha256:1ac95f8822303944c5b620549b625580d9266d9efc2507e375caea3f8f7b487b",
				Reads:  map[string]readResult{"dir1/sample.txt": loop("dir1/sample.txt"), "dir1/chain-symlink.txt": loop("dir1/chain-symlink.txt")},
			},
		},
		{
			file:  "scalibr-symlink-depth-exceeded.layer",
			wants: []string{"dir1/sample.txt"},
			want: realResult{
				DiffID: "sha256:9d30844ae1625c3689cbadf2c8f03629f799560372c98f469829014fc408eaab",
				Reads:  map[string]readResult{"dir1/symlink7.txt": sample},
			},
		},
		{
			// Links that climb above the root stay at the root: they name
			// "secret.txt" of the layer, which it does not hold.
			file:  "scalibr-symlink-attack.layer",
			wants: []string{"dir1/attack-symlink.txt", "dir1/attack-symlink-absolute.txt"},
			want: realResult{
				DiffID: "sha256:79f13c8f4580d20e19dd20a9296d47967f8463ecb0f6d63018c3eebcac4713dd",
				Reads: map[string]readResult{
					"dir1/attack-symlink.txt":          {Err: "read dir1/attack-symlink.txt: file does not exist", NotExist: true},
					"dir1/attack-symlink-absolute.txt": {Err: "read dir1/attack-symlink-absolute.txt: file does not exist", NotExist: true},
				},
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := Walk(context.Background(), tc.file, bytes.NewReader(readTestdata(t, tc.file)), wantSet(tc.wants...), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := realResult{DiffID: string(res.DiffID), Whiteouts: res.Whiteouts, Opaques: res.Opaques}
			for p := range tc.want.Reads {
				if got.Reads == nil {
					got.Reads = map[string]readResult{}
				}
				got.Reads[p] = readFile(res, p)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
