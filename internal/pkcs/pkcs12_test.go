package pkcs_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"software.sslmate.com/src/go-pkcs12"
)

// Made with OpenSSL 3's C API (PKCS12_create and PKCS12_set_mac with a NULL password): the
// "truly empty" encoding of no password that Windows also writes, unlike the CLI's two zero bytes.
// Self-signed EC certificate, CN=nil-password, SHA-1 thumbprint nilPasswordThumbprint.
const (
	nilPasswordAESBase64 = `
MIIEQwIBAzCCA/kGCSqGSIb3DQEHAaCCA+oEggPmMIID4jCCAoIGCSqGSIb3DQEHBqCCAnMwggJvAgEAMIICaAYJKoZIhvcNAQcB
MFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhtL53Hih6O0QICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEECyh
SZh4IDQSFA8HLoDsCeqAggIAGaXkmdGlYDxhP0R6sFjGoBNnW3ecDtKwTtRmJrozBKZp5R6ywBMLmuhubxFk7NpZn3qPo2knGXoq
rhxq8BW9ZmkZj97tc2HOT1mDkng6WbPo4WlUQz7is/j3Vt547dxBiW1y+4w7HMeaokenOhRR1lYF2Z/rODnV/Qff7ywihff5FW++
7ad4QtL2a5ZN9jluQIy4m5+AuS+twgAqYCaT8A8wr+iSOcgApUYw9Y/OENjFJi8fn1hSH1lpdW6oATAdEfD0tM7/gvwdPloUukMe
YBuROmoSdbzYVXsVoaHAp4xSNlmjp4iQAJMe9kzh9BxDbW5lowyvBTA/Fn534AjGDHAsvfZW6fu3Rsp72ulahS6D5pRgKmTZyiiF
SweCRPdhgmuprh3Wj5JOEf7clu9hCzAQNGWpClBPv/tq1wkPb1DKNRcXcTOtOT8BXBQl2bGivltRKtm8LYJMxpqt2kMW3Jxvtc+P
pnVPn24CIy9s+aonzQfRCd/vflM7Mv7JxJh0UWoigNJ+vVGoYio2Hknwa+7mI1y8qwY6Rp7abxPyUJDdSkqI5/obGbJLe+ecfkem
k3PNc6oEQUhAbOtY+tlTkKrG4iH9f7u3gSZrPHgj2k7bPW0Je7BAwP+Yj0uUBBlck/NKWZNBmpHRENdMGIxoAJB/YQbpQZXVWqmx
u7DMk/gwggFYBgkqhkiG9w0BBwGgggFJBIIBRTCCAUEwggE9BgsqhkiG9w0BDAoBAqCB7zCB7DBXBgkqhkiG9w0BBQ0wSjApBgkq
hkiG9w0BBQwwHAQIV6NKz3Sb45gCAggAMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBDSY3BdS45hDefeX2+az05yBIGQKYEk
7LQJTO7OrzfhjkEFF489S9abmXkxKAGM/PbWZti3/P6DPE/lrmW8n5+B+OfWiIKxNJihLHT1/knKzQ5hKYyqVDTd8idEDOrvDG4A
LqHzpzAhAnDTcRhPmhqOg1kxGsRkLMymSfONN+HW9IxHqC7KvIEwauYlx7YT1XXseuEst2cNIFDJ0xl1HNOq36LPMTwwFQYJKoZI
hvcNAQkUMQgeBgBuAGkAbDAjBgkqhkiG9w0BCRUxFgQUHgULgQ8kC2WooHy8SHXOtrpLiEYwQTAxMA0GCWCGSAFlAwQCAQUABCDd
+cKQnDlitDu4aJEIm0iNJ59OwTV1bthEW2bGMUgkVwQIcIwUADuR+WYCAggA
`
	nilPassword3DESBase64 = `
MIIDwQIBAzCCA3sGCSqGSIb3DQEHAaCCA2wEggNoMIIDZDCCAj8GCSqGSIb3DQEHBqCCAjAwggIsAgEAMIICJQYJKoZIhvcNAQcB
MBwGCiqGSIb3DQEMAQMwDgQIS59kqyr9JqwCAggAgIIB+JinEn/OuHMlROAndVWLoLHhvC32Gb6xxF/kNA1HC4UGIC14FJHB5j4B
OLKhzhnW/r0sNk7SK3TM+Ku8F9zinpo2AYp3sz6kTZChOKuxNn9mJFvKuhyGoRxMt+OwKeOTZ+UkY6G1FLil5uNHXbb5sVTDnoO4
K4pmu0tBP97eT/nC83/hY/vSrfQaCzkavkyqR874+PEjRL2PlU/T/U5pbAmD25bO7hDKNgngNHdpiy8VAxUWZr8i1qK7df8DCbAA
c6pRJiWsVktllgy6vMHdf+7rqJBu5lTfzl9LqUp2Ng9VOX7jcuiaQ+hE5tKMEgtJPrud3KKoJ8+GuOGG0zE8SyeZ7ssEagY9eHIv
8koPCAmX+KrPHHHlfe6ZekiDjJzDvHlYhbWho46g+yNjdKuWtuU4nyeUSMR+rZwfFvIrw+UcqAsvyfg2tlP31muaBUVKaBFvkBVJ
kcLylcnAi+5jyv6P9GJCsLf+t9CVHC9ILSSZ5xydRGJyS8f/HOhtHxuVpKTRSquM8ZAb8NZtkAuTYkZdH4eO8JsA7N4kO6L4mfcH
+5UIZDUqkZuNx/sKiO1k/CqOFrpNr2zL2QBUVMPS48oM6mGsXRJlECNZ4AD3kJNccGyONhZcHqJVLYM5JOKxKpBx89FtpgJgBBFM
d0XDqHyzBZbII+h+JjCCAR0GCSqGSIb3DQEHAaCCAQ4EggEKMIIBBjCCAQIGCyqGSIb3DQEMCgECoIG0MIGxMBwGCiqGSIb3DQEM
AQMwDgQIDXyqdoKZPogCAggABIGQryc1awwe3aCksGTctyN9uw+BSyZ+qKe62mRJA/vXVqISdCcZDeg9KzRNpwvS+/IIVEzqq3Kb
imqQFL05/ZRd/MhK6gEgXQ1BTr34y1lR368tEB3s0cyOKfTn8+QcFa2HXYyVw24i5JTU7OPtPVwDNfu5Xldt5hO0Tog3EJcT8cWo
dC9enwDKOTXiHZynLKQRMTwwFQYJKoZIhvcNAQkUMQgeBgBuAGkAbDAjBgkqhkiG9w0BCRUxFgQUHgULgQ8kC2WooHy8SHXOtrpL
iEYwPTAxMA0GCWCGSAFlAwQCAQUABCBYN/tSWv9h2tPyr5ZkH48rF7k8W02jr66OP/XqnLt1fAQIL58KyjwRbJ0=
`
	nilPasswordThumbprint = "1E050B810F240B65A8A07CBC4875CEB6BA4B8846"

	// A private key and no certificate at all (python cryptography, password testfixtures.Password).
	keyOnlyBase64 = `
MIIBnAIBAzCCAVIGCSqGSIb3DQEHAaCCAUMEggE/MIIBOzCCATcGCSqGSIb3DQEHAaCCASgEggEkMIIBIDCCARwGCyqGSIb3DQEM
CgECoIH3MIH0MF8GCSqGSIb3DQEFDTBSMDEGCSqGSIb3DQEFDDAkBBCoLNy8XlQ0iy7zDznTLRfwAgJOIDAMBggqhkiG9w0CCQUA
MB0GCWCGSAFlAwQBKgQQzIUT7ZK39WihslyWP4SncwSBkHxbILGMx4Jsx7OCczJWGtSig2dGu9SKDjYW8symcnL4LaQvQAibMwbB
Y/z76gX+n9NocclCJxiUzgmN7+CxRc4e8dezYBNzlkA8bIPjazW8TrauPUQJD5eFwJTntkAUlgjREF3okMTAlYnELwYBy/LKktpF
YRbM9F4AEcXll39+mwKbT5oSlt71yhUGIqhr4jETMBEGCSqGSIb3DQEJFDEEHgIAazBBMDEwDQYJYIZIAWUDBAIBBQAEIDxtNrvR
qImWWbJw0LqJchnAy9Pbj3637OaRGVkEKbMcBAiwDw+d5mLuJwICCAA=
`
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDecodeClientCertificateFixtures(t *testing.T) {
	const clientSubject = "CN=api-connector-client,O=Contoso"
	tests := []struct {
		file, password string
		thumbprint     string
		subject        string
		notBefore      time.Time // zero: only checked to precede notAfter
		notAfter       time.Time
	}{
		{"client-aes.pfx", testfixtures.Password, testfixtures.ClientThumbprint, clientSubject, time.Time{}, time.Time{}},
		{"client-legacy-3des.pfx", testfixtures.Password, testfixtures.ClientThumbprint, clientSubject, time.Time{}, time.Time{}},
		{"client-empty-password.pfx", "", testfixtures.ClientThumbprint, clientSubject, time.Time{}, time.Time{}},
		{"client-with-chain.pfx", testfixtures.Password, testfixtures.ClientThumbprint, clientSubject, time.Time{}, time.Time{}},
		{"client-ec.pfx", testfixtures.Password, testfixtures.ClientECThumbprint, "CN=api-connector-client-ec,O=Contoso", time.Time{}, time.Time{}},
		{"client-expired.pfx", testfixtures.Password, testfixtures.ExpiredThumbprint, "CN=expired-client", date(2019, 1, 1), date(2021, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := pkcs.DecodeClientCertificate(testfixtures.Base64(tt.file), tt.password)
			if err != nil {
				t.Fatalf("DecodeClientCertificate: %v", err)
			}
			if got.Thumbprint != tt.thumbprint {
				t.Errorf("Thumbprint = %s, want %s", got.Thumbprint, tt.thumbprint)
			}
			if got.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", got.Subject, tt.subject)
			}
			if !got.NotBefore.Before(got.NotAfter) {
				t.Errorf("NotBefore %v is not before NotAfter %v", got.NotBefore, got.NotAfter)
			}
			if !tt.notBefore.IsZero() && !got.NotBefore.Equal(tt.notBefore) {
				t.Errorf("NotBefore = %v, want %v", got.NotBefore, tt.notBefore)
			}
			if !tt.notAfter.IsZero() && !got.NotAfter.Equal(tt.notAfter) {
				t.Errorf("NotAfter = %v, want %v", got.NotAfter, tt.notAfter)
			}
			if got.Certificate == nil || pkcs.Thumbprint(got.Certificate.Raw) != got.Thumbprint {
				t.Errorf("Certificate does not match Thumbprint")
			}
		})
	}
}

// The same bytes must give the same answer through both entry points.
func TestDecodeClientCertificateDER(t *testing.T) {
	got, err := pkcs.DecodeClientCertificateDER(testfixtures.Bytes("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if got.Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("Thumbprint = %s, want %s", got.Thumbprint, testfixtures.ClientThumbprint)
	}
}

func TestDecodeClientCertificateEmptyPasswordEncodings(t *testing.T) {
	key, cert := newSelfSigned(t, "passwordless")
	passwordless, err := pkcs12.Passwordless.Encode(key, cert, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	modernEmpty, err := pkcs12.Modern.Encode(key, cert, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pfxBase64, thumbprint string
	}{
		{"OpenSSL CLI, two zero bytes", testfixtures.Base64("client-empty-password.pfx"), testfixtures.ClientThumbprint},
		{"absent password, AES", nilPasswordAESBase64, nilPasswordThumbprint},
		{"absent password, 3DES", nilPassword3DESBase64, nilPasswordThumbprint},
		{"go-pkcs12 Modern with empty password", b64(modernEmpty), pkcs.Thumbprint(cert.Raw)},
		{"no MAC, no encryption", b64(passwordless), pkcs.Thumbprint(cert.Raw)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pkcs.DecodeClientCertificate(tt.pfxBase64, "")
			if err != nil {
				t.Fatalf("with empty password: %v", err)
			}
			if got.Thumbprint != tt.thumbprint {
				t.Errorf("Thumbprint = %s, want %s", got.Thumbprint, tt.thumbprint)
			}
			if _, err := pkcs.DecodeClientCertificate(tt.pfxBase64, "not-the-password"); !errors.Is(err, pkcs.ErrWrongPassword) {
				t.Errorf("with a password: err = %v, want ErrWrongPassword", err)
			}
		})
	}
}

func TestDecodeClientCertificateEncoders(t *testing.T) {
	key, cert := newSelfSigned(t, "encoders")
	encoders := map[string]*pkcs12.Encoder{
		"LegacyRC2": pkcs12.LegacyRC2, "LegacyDES": pkcs12.LegacyDES,
		"Modern2023": pkcs12.Modern2023, "Modern2026 (PBMAC1)": pkcs12.Modern2026,
	}
	for name, enc := range encoders {
		for _, password := range []string{"Fixture-Pa55!", "pässwörd-日本"} {
			t.Run(name+"/"+password, func(t *testing.T) {
				pfx, err := enc.Encode(key, cert, nil, password)
				if err != nil {
					t.Fatal(err)
				}
				got, err := pkcs.DecodeClientCertificateDER(pfx, password)
				if err != nil {
					t.Fatal(err)
				}
				if got.Thumbprint != pkcs.Thumbprint(cert.Raw) {
					t.Errorf("Thumbprint = %s, want %s", got.Thumbprint, pkcs.Thumbprint(cert.Raw))
				}
			})
		}
	}
}

// go-pkcs12 takes the first certificate bag as the leaf; the leaf is the one matching the key.
func TestDecodeClientCertificateLeafNotFirst(t *testing.T) {
	caKey, ca := newSelfSigned(t, "Some CA")
	leafKey, leaf := newSelfSigned(t, "the leaf")
	_ = caKey
	pfx, err := pkcs12.Modern.Encode(leafKey, ca, []*x509.Certificate{leaf}, testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pkcs.DecodeClientCertificateDER(pfx, testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if got.Thumbprint != pkcs.Thumbprint(leaf.Raw) || got.Subject != "CN=the leaf" {
		t.Errorf("got %s (%s), want the leaf %s", got.Thumbprint, got.Subject, pkcs.Thumbprint(leaf.Raw))
	}
}

func TestDecodeClientCertificateErrors(t *testing.T) {
	const secret = "S3cret-Never-Shown"
	key, cert := newSelfSigned(t, "mismatch")
	otherKey, _ := newSelfSigned(t, "other")
	_ = key
	mismatched, err := pkcs12.Modern.Encode(otherKey, cert, nil, secret)
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 2048)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, pfxBase64, password string
		want                      error
		detail                    string // substring the message must hold
	}{
		{"wrong password, AES", testfixtures.Base64("client-aes.pfx"), secret, pkcs.ErrWrongPassword, ""},
		{"wrong password, 3DES", testfixtures.Base64("client-legacy-3des.pfx"), secret, pkcs.ErrWrongPassword, ""},
		{"wrong password, EC", testfixtures.Base64("client-ec.pfx"), secret, pkcs.ErrWrongPassword, ""},
		{"wrong password, chain", testfixtures.Base64("client-with-chain.pfx"), secret, pkcs.ErrWrongPassword, ""},
		{"empty password on a protected PFX", testfixtures.Base64("client-aes.pfx"), "", pkcs.ErrWrongPassword, "password is empty"},
		{"password on the empty-password PFX", testfixtures.Base64("client-empty-password.pfx"), secret, pkcs.ErrWrongPassword, ""},
		{"password outside the BMP", testfixtures.Base64("client-aes.pfx"), secret + "🔑", pkcs.ErrWrongPassword, "Basic Multilingual Plane"},
		{"certificate without key", testfixtures.Base64("cert-only-no-key.pfx"), testfixtures.Password, pkcs.ErrNoPrivateKey, ""},
		{"key without certificate", keyOnlyBase64, testfixtures.Password, pkcs.ErrNoCertificate, "no certificate at all"},
		{"key with a mismatched certificate", b64(mismatched), secret, pkcs.ErrNoCertificate, `"CN=mismatch"`},
		{"truncated", testfixtures.Base64("truncated.pfx"), testfixtures.Password, pkcs.ErrNotPKCS12, ""},
		{"random bytes", b64(random), secret, pkcs.ErrNotPKCS12, ""},
		{"a .p7b instead", testfixtures.Base64("contoso-pki.p7b"), secret, pkcs.ErrNotPKCS12, ""},
		{"a PEM certificate instead", testfixtures.Base64("client.pem"), secret, pkcs.ErrNotPKCS12, "BEGIN CERTIFICATE"},
		{"empty", "", "", pkcs.ErrNotPKCS12, "empty"},
		{"whitespace only", " \n\t", "", pkcs.ErrNotPKCS12, "empty"},
		{"not base64", "not base64!!", secret, pkcs.ErrNotBase64, ""},
		{"URL-safe base64", strings.NewReplacer("+", "-", "/", "_").Replace(testfixtures.Base64("client-aes.pfx")) + "-_", secret, pkcs.ErrNotBase64, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pkcs.DecodeClientCertificate(tt.pfxBase64, tt.password)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v (%+v), want errors.Is %v", err, got, tt.want)
			}
			msg := err.Error()
			if tt.detail != "" && !strings.Contains(msg, tt.detail) {
				t.Errorf("error %q lacks %q", msg, tt.detail)
			}
			if tt.password != "" && strings.Contains(msg, tt.password) || strings.Contains(msg, secret) || strings.Contains(msg, testfixtures.Password) {
				t.Errorf("error %q shows the password", msg)
			}
			if len(tt.pfxBase64) > 24 && strings.Contains(msg, strings.TrimSpace(tt.pfxBase64)[:24]) {
				t.Errorf("error %q shows the PFX", msg)
			}
			if len(msg) > 400 {
				t.Errorf("error is %d characters long, does it quote the input? %q", len(msg), msg)
			}
		})
	}
}

func TestDecodeClientCertificateBase64Whitespace(t *testing.T) {
	plain := testfixtures.Base64("client-aes.pfx")
	var wrapped strings.Builder
	for i := 0; i < len(plain); i += 64 {
		wrapped.WriteString(plain[i:min(i+64, len(plain))] + "\r\n")
	}
	for name, in := range map[string]string{
		"surrounding whitespace": "\n\t  " + plain + "  \r\n",
		"wrapped at 64 columns":  wrapped.String(),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := pkcs.DecodeClientCertificate(in, testfixtures.Password)
			if err != nil {
				t.Fatal(err)
			}
			if got.Thumbprint != testfixtures.ClientThumbprint {
				t.Errorf("Thumbprint = %s", got.Thumbprint)
			}
		})
	}
}

func TestThumbprintAndSHA256Hex(t *testing.T) {
	if got, want := pkcs.SHA256Hex(nil), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"; got != want {
		t.Errorf("SHA256Hex(nil) = %s, want %s", got, want)
	}
	if got, want := pkcs.Thumbprint([]byte("abc")), "A9993E364706816ABA3E25717850C26C9CD0D89D"; got != want {
		t.Errorf("Thumbprint(abc) = %s, want %s", got, want)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

var serial int64

// newSelfSigned makes a small EC P-256 self-signed certificate with the given common name.
func newSelfSigned(t testing.TB, cn string) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    date(2024, 1, 1),
		NotAfter:     date(2044, 1, 1),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}
