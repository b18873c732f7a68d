package pkcs_test

import (
	"encoding/pem"
	"fmt"
	"sync"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// The same certificate asked for again is not parsed again; other bytes are, and so is a bundle of the same bytes.
func TestCertificateCacheParsesOnce(t *testing.T) {
	var c pkcs.CertificateCache
	root := testfixtures.Bytes("root-ca.pem")
	want, err := pkcs.ParseCertificate(root)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		got, err := c.ParseCertificate(root)
		if err != nil || got.Thumbprint != want.Thumbprint || got.SubjectKeyIdentifier != want.SubjectKeyIdentifier {
			t.Fatalf("cached parse: %+v, %v", got, err)
		}
	}
	if n := c.Parses(); n != 1 {
		t.Errorf("%d parses for one certificate asked for four times, want 1", n)
	}
	block, _ := pem.Decode(root)
	if _, err := c.ParseCertificate(block.Bytes); err != nil { // the DER: other bytes, parsed once more
		t.Fatal(err)
	}
	if _, err := c.ParseCertificate([]byte("not a certificate")); err == nil {
		t.Error("garbage parsed")
	}
	if _, err := c.ParseCertificate([]byte("not a certificate")); err == nil {
		t.Error("garbage parsed the second time (the error is remembered too)")
	}
	if n := c.Parses(); n != 3 {
		t.Errorf("%d parses, want 3 (PEM, DER, garbage once)", n)
	}
	p7b := testfixtures.Bytes("contoso-pki.p7b")
	wantCAs, err := pkcs.ParseCertificateBundle(p7b)
	if err != nil {
		t.Fatal(err)
	}
	cas, err := c.ParseCertificateBundle(p7b)
	if err != nil || len(cas) != len(wantCAs) || cas[0].Thumbprint != wantCAs[0].Thumbprint {
		t.Fatalf("bundle: %v, %v", cas, err)
	}
	cas[0].Thumbprint = "changed by the caller"
	again, _ := c.ParseCertificateBundle(p7b)
	if again[0].Thumbprint != wantCAs[0].Thumbprint {
		t.Error("a caller's change to its slice reached the cache")
	}
	if n := c.Parses(); n != 4 {
		t.Errorf("%d parses, want 4 (the bundle once)", n)
	}
}

// The cache holds at most CacheSize inputs, and stays right past it.
func TestCertificateCacheIsBounded(t *testing.T) {
	var c pkcs.CertificateCache
	for i := range pkcs.CacheSize + 10 {
		if _, err := c.ParseCertificate(fmt.Appendf(nil, "garbage %d", i)); err == nil {
			t.Fatal("garbage parsed")
		}
	}
	if n := c.Len(); n != pkcs.CacheSize {
		t.Errorf("%d entries after %d inputs, want the cap %d", n, pkcs.CacheSize+10, pkcs.CacheSize)
	}
}

// Concurrent callers get the same facts (run under -race).
func TestCertificateCacheConcurrent(t *testing.T) {
	var c pkcs.CertificateCache
	root := testfixtures.Bytes("root-ca.pem")
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ca, err := c.ParseCertificate(root); err != nil || ca.Thumbprint != "97B4B3728E56D57F944FDE35056EF206612D21ED" {
				t.Errorf("%+v, %v", ca, err)
			}
		}()
	}
	wg.Wait()
	if n := c.Parses(); n < 1 || n > 16 {
		t.Errorf("%d parses", n)
	}
}

// A nil cache parses every time.
func TestCertificateCacheNil(t *testing.T) {
	var c *pkcs.CertificateCache
	if ca, err := c.ParseCertificate(testfixtures.Bytes("root-ca.pem")); err != nil || ca.Thumbprint == "" {
		t.Fatalf("%+v, %v", ca, err)
	}
}
