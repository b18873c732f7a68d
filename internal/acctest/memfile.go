package acctest

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"time"
)

// memFile is an http.File over bytes.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func newMemFile(name string, data []byte) *memFile {
	return &memFile{Reader: bytes.NewReader(data), name: path.Base(name), size: int64(len(data))}
}

func (m *memFile) Close() error                       { return nil }
func (m *memFile) Readdir(int) ([]os.FileInfo, error) { return nil, fs.ErrInvalid }
func (m *memFile) Stat() (os.FileInfo, error)         { return m, nil }
func (m *memFile) Name() string                       { return m.name }
func (m *memFile) Size() int64                        { return m.size }
func (m *memFile) Mode() fs.FileMode                  { return 0o444 }
func (m *memFile) ModTime() time.Time                 { return time.Time{} }
func (m *memFile) IsDir() bool                        { return false }
func (m *memFile) Sys() any                           { return nil }
