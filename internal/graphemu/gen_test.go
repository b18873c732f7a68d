package graphemu_test

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// genPFX makes a base64 PFX (OpenSSL 3-style AES) holding a fresh certificate and its key.
func genPFX(t testing.TB, cn, password string) string {
	t.Helper()
	der, key := testfixtures.NewCA(t, cn, start, 0)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := gopkcs12.Modern2023.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(pfx)
}

// fileHost serves arbitrary generated files on loopback for uploads.
type fileHost struct {
	mu    sync.Mutex
	files map[string][]byte
	srv   *httptest.Server
}

func newFileHost(t *testing.T) *fileHost {
	h := &fileHost{files: map[string][]byte{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		b, ok := h.files[r.URL.Path]
		h.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *fileHost) put(name string, data []byte) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.files["/"+name] = data
	return h.srv.URL + "/" + name
}
