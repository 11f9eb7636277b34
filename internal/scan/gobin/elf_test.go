package gobin_test

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"
)

// goELF builds a minimal x86-64 ELF file whose .go.buildinfo section holds
// Go 1.18+ build info (the 32-byte header, then the version and the module
// info as varint-prefixed strings), in a loadable segment, as the Go linker
// lays it out. modinfo is what `go version -m` prints after the first
// line, or "" for a binary built without modules.
func goELF(t testing.TB, version, modinfo string) []byte {
	return goELFWithTable(t, version, modinfo, nil)
}

// goELFWithTable is goELF with a .gopclntab section holding pclntab, when
// it is not nil.
func goELFWithTable(t testing.TB, version, modinfo string, pclntab []byte) []byte {
	head, tail := paddedGoELF(t, version, modinfo, pclntab, 0)
	return append(head, tail...)
}

// paddedGoELF is goELFWithTable with at least pad zero bytes between the
// sections and the section headers, at the end of the file: the file is
// head, then pad zero bytes, then tail.
func paddedGoELF(t testing.TB, version, modinfo string, pclntab []byte, pad int64) (head, tail []byte) {
	t.Helper()
	const (
		blobOff = 128
		base    = 0x400000
	)
	blob := []byte("\xff Go buildinf:\x08\x02")
	blob = append(blob, make([]byte, 16)...)
	blob = binary.AppendUvarint(blob, uint64(len(version)))
	blob = append(blob, version...)
	if modinfo != "" {
		modinfo = "0123456789abcdef" + modinfo + "fedcba9876543210" // the module info's sentinels
	}
	blob = binary.AppendUvarint(blob, uint64(len(modinfo)))
	blob = append(blob, modinfo...)
	shstrtab := []byte("\x00.go.buildinfo\x00.shstrtab\x00.gopclntab\x00")
	strOff := blobOff + len(blob)
	tabOff := strOff + len(shstrtab)
	end := int64(tabOff + len(pclntab))
	shOff := (end + pad + 15) &^ 15
	le := binary.LittleEndian
	var b bytes.Buffer
	sections := []elf.Section64{
		{},
		{Name: 1, Type: uint32(elf.SHT_PROGBITS), Flags: uint64(elf.SHF_ALLOC | elf.SHF_WRITE),
			Addr: base + blobOff, Off: blobOff, Size: uint64(len(blob)), Addralign: 16},
		{Name: 15, Type: uint32(elf.SHT_STRTAB), Off: uint64(strOff), Size: uint64(len(shstrtab)), Addralign: 1},
	}
	if pclntab != nil {
		sections = append(sections, elf.Section64{Name: 25, Type: uint32(elf.SHT_PROGBITS), Flags: uint64(elf.SHF_ALLOC),
			Off: uint64(tabOff), Size: uint64(len(pclntab)), Addralign: 1})
	}
	hdr := elf.Header64{
		Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_X86_64), Version: uint32(elf.EV_CURRENT),
		Phoff: 64, Shoff: uint64(shOff), Ehsize: 64, Phentsize: 56, Phnum: 1, Shentsize: 64, Shnum: uint16(len(sections)), Shstrndx: 2,
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS], hdr.Ident[elf.EI_DATA], hdr.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	prog := elf.Prog64{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_W), Off: blobOff,
		Vaddr: base + blobOff, Paddr: base + blobOff, Filesz: uint64(len(blob)), Memsz: uint64(len(blob)), Align: 16}
	for _, part := range []any{hdr, prog, make([]byte, blobOff-64-56), blob, shstrtab, pclntab, make([]byte, shOff-end-pad), sections} {
		if err := binary.Write(&b, le, part); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()[:end], b.Bytes()[end:]
}

// pclntab120 is the start of a Go 1.20+ .gopclntab (little-endian, 8-byte
// pointers) whose function name table holds names: the header, the name
// table right after it, and nothing else.
func pclntab120(names ...string) []byte {
	const head = 8 + 8*8 // magic, pads, quantum, pointer size; then 8 words
	var table []byte
	for _, n := range names {
		table = append(append(table, n...), 0)
	}
	b := binary.LittleEndian.AppendUint32(nil, 0xfffffff1)
	b = append(b, 0, 0, 1, 8)
	for _, w := range []uint64{uint64(len(names)), 0, 0x401000, head, head + uint64(len(table)), 0, 0, 0} {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return append(b, table...)
}
