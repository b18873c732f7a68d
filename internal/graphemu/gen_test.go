package graphemu_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	gopkcs12 "software.sslmate.com/src/go-pkcs12"
)

// genCert makes a self-signed ECDSA certificate; padding adds an extension of that many bytes (for size limits).
func genCert(t testing.TB, cn string, padding int) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             start.Add(-time.Hour),
		NotAfter:              start.Add(365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	if padding > 0 {
		val, _ := asn1.Marshal(make([]byte, padding))
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Value: val}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// genPFX makes a base64 PFX (OpenSSL 3-style AES) holding a fresh certificate and its key.
func genPFX(t testing.TB, cn, password string) string {
	t.Helper()
	der, key := genCert(t, cn, 0)
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

// genBundle makes a DER PKCS#7 bundle of the given certificates.
func genBundle(t testing.TB, ders ...[]byte) []byte {
	t.Helper()
	var all []byte
	for _, d := range ders {
		all = append(all, d...)
	}
	p7, err := pkcs7.DegenerateCertificate(all)
	if err != nil {
		t.Fatal(err)
	}
	return p7
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
