package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
)

// newWarningLogger logs to w the records at level or above, as warnings
// are written: see warningHandler.
func newWarningLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(&warningHandler{w: w, level: level, mu: new(sync.Mutex)})
}

// warningHandler writes log records as the CLI writes its own warnings,
// one line each: "warning: npm: skipped a file path=… err=…" (its level,
// lower-cased, then the message and the attributes).
type warningHandler struct {
	w     io.Writer
	level slog.Level
	mu    *sync.Mutex // shared by the handlers derived from the first
	attrs string      // " key=value…" of WithAttrs
	group string      // "group." of WithGroup
}

func (h *warningHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *warningHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	level := strings.ToLower(r.Level.String())
	if r.Level == slog.LevelWarn {
		level = "warning"
	}
	b.WriteString(level + ": " + r.Message + h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, h.group, a)
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *warningHandler) WithAttrs(as []slog.Attr) slog.Handler {
	var b strings.Builder
	for _, a := range as {
		writeAttr(&b, h.group, a)
	}
	h2 := *h
	h2.attrs += b.String()
	return &h2
}

func (h *warningHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.group += name + "."
	return &h2
}

// writeAttr writes " key=value", the value quoted when it holds spaces,
// quotes or "=", a group's attributes each with the group's prefix.
func writeAttr(b *strings.Builder, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			writeAttr(b, prefix, g)
		}
		return
	}
	v := a.Value.String()
	if v == "" || strings.ContainsAny(v, " \t\n\"=") {
		v = strconv.Quote(v)
	}
	fmt.Fprintf(b, " %s%s=%s", prefix, a.Key, v)
}
