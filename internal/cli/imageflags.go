package cli

import (
	"errors"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/strata-scan/strata/internal/layer"

	"github.com/strata-scan/strata/internal/image"
)

// imageFlags are the flags of the verbs that open an image.
type imageFlags struct {
	platform      string
	insecure      bool
	username      string
	passwordStdin bool
	maxLayerGiB   int64
	maxRatio      int64
}

func (f *imageFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default the host's)")
	fs.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP to the registry")
	fs.StringVar(&f.username, "username", os.Getenv("STRATA_REGISTRY_USERNAME"), "registry user name (default $STRATA_REGISTRY_USERNAME; else the docker config's credentials)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the registry password from standard input (default $STRATA_REGISTRY_PASSWORD)")
	d := layer.DefaultLimits()
	fs.Int64Var(&f.maxLayerGiB, "max-layer-gib", d.MaxBytes>>30, "refuse a layer that decompresses to more than this many GiB")
	fs.Int64Var(&f.maxRatio, "max-ratio", d.MaxRatio, "refuse a layer that decompresses to more than this many times its compressed size (a decompression bomb); checked past 64 MiB")
}

// limits are the layer limits the flags set.
func (f *imageFlags) limits() layer.Limits {
	l := layer.DefaultLimits()
	l.MaxBytes, l.MaxRatio = f.maxLayerGiB<<30, f.maxRatio
	return l
}

func (f *imageFlags) options() (image.Options, error) {
	if f.maxRatio < 1 || f.maxLayerGiB < 1 {
		return image.Options{}, errors.New("--max-ratio and --max-layer-gib must be at least 1")
	}
	opts := image.Options{Platform: f.platform, Insecure: f.insecure, Username: f.username, Password: os.Getenv("STRATA_REGISTRY_PASSWORD")}
	if f.passwordStdin {
		if f.username == "" {
			return opts, errors.New("--password-stdin needs --username")
		}
		b, err := io.ReadAll(io.LimitReader(os.Stdin, 64<<10))
		if err != nil {
			return opts, err
		}
		opts.Password = strings.TrimRight(string(b), "\r\n")
	}
	return opts, nil
}
