package pkcs_test

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// What the certificate_user_ids function builds from a certificate is what the resource's check accepts.
func TestCheckCertificateUserIDsAcceptsWhatUserIDsOfBuilds(t *testing.T) {
	ids, err := pkcs.ParseCertificateUserIDs(newUserCert(t, contosoVector))
	if err != nil {
		t.Fatal(err)
	}
	values := []string{ids.PrincipalName, ids.RFC822Name, ids.IssuerAndSubject, ids.Subject, ids.SubjectKeyIdentifier,
		ids.SHA1PublicKey, ids.IssuerAndSerialNumber}
	for _, v := range values {
		if v == "" {
			t.Fatalf("the test certificate lacks a field: %+v", ids)
		}
	}
	if ps := pkcs.CheckCertificateUserIDs(values); len(ps) != 0 {
		t.Errorf("the function's values fail the check: %v", ps)
	}
}

func TestCheckCertificateUserIDEntraTable(t *testing.T) {
	// The examples of Entra's "Supported patterns for certificate user IDs" table (hex ones with even digits).
	for _, v := range []string{
		"X509:<PN>bob@woodgrove.com",
		"X509:<PN>bob@woodgrove",
		"X509:<RFC822>user@woodgrove.com",
		"X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<S>DC=com,DC=contoso,OU=UserAccounts,CN=mfatest",
		"X509:<S>DC=com,DC=contoso,OU=UserAccounts,CN=mfatest",
		"X509:<SKI>123456789abcdef0",
		"X509:<SHA1-PUKEY>0EB255CC895477798BA418B378255204304897AD",
		"X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>b24134139f069b49997212a86ba0ef48",
	} {
		if p := pkcs.CheckCertificateUserID(v); p != "" {
			t.Errorf("%s: %s", v, p)
		}
	}
}

func TestCheckCertificateUserIDRefusals(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"", "empty value"},
		{"bob@contoso.com", "none of Entra's certificateUserIds forms"},
		{"X509:<FOO>bar", "none of Entra's certificateUserIds forms"},
		{"x509:<PN>bob@contoso.com", `prefix "x509:<PN>", but Entra's prefixes are case-sensitive: write X509:<PN>`},
		{"X509:<pn>bob@contoso.com", "write X509:<PN>"},
		{"X509:<rfc822>bob@contoso.com", "write X509:<RFC822>"},
		{"X509:<ski>0A0B", "write X509:<SKI>"},
		{"X509:<sha1-pukey>0EB255CC895477798BA418B378255204304897AD", "write X509:<SHA1-PUKEY>"},
		{"X509:<s>CN=bob", "write X509:<S>"},
		{"X509:<i>CN=CA<S>CN=bob", "write X509:<I>"},
		{"X509:<I>CN=CA<s>CN=bob", "markers are case-sensitive"},
		{"X509:<PN>", "nothing after its prefix"},
		{"X509:<SKI>XYZ1", "subject key identifier in hex"},
		{"X509:<SKI>ABC", "two digits per byte"},
		{"X509:<SHA1-PUKEY>ABCD", "40 hex digits"},
		{"X509:<S>bob", "subject DN"},
		{"X509:<I>CN=CA", "neither <S>{subject DN} nor <SR>{serial number}"},
		{"X509:<I>CN=CA<SR>not-hex", "serial number in hex"},
		{"X509:<I>CA<S>CN=bob", "must both be DNs"},
		{" X509:<PN>bob@contoso.com", "blanks"},
		{"X509:<PN>" + strings.Repeat("a", 1016), "1025 characters long: Entra accepts at most 1024"},
	} {
		p := pkcs.CheckCertificateUserID(tc.value)
		if !strings.Contains(p, tc.want) {
			t.Errorf("%q: got %q, want it to say %q", tc.value, p, tc.want)
		}
		if tc.value != "" && len(tc.value) < 100 && !strings.Contains(p, `"`+tc.value) {
			t.Errorf("%q: the problem does not quote the value: %s", tc.value, p)
		}
	}
	if p := pkcs.CheckCertificateUserID("X509:<PN>" + strings.Repeat("é", 1015)); p != "" {
		t.Errorf("1024 characters (not bytes) are allowed: %s", p)
	}
}

func TestCheckCertificateUserIDsList(t *testing.T) {
	var eleven []string
	for i := range 11 {
		eleven = append(eleven, "X509:<PN>user"+string(rune('a'+i))+"@contoso.com")
	}
	ps := pkcs.CheckCertificateUserIDs(eleven)
	if len(ps) != 1 || !strings.Contains(ps[0].Problem, "11 values: Entra holds at most 10") {
		t.Errorf("11 values: %v", ps)
	}
	if ps := pkcs.CheckCertificateUserIDs(eleven[:10]); len(ps) != 0 {
		t.Errorf("10 values: %v", ps)
	}
	ps = pkcs.CheckCertificateUserIDs([]string{"X509:<SKI>0A0B", "X509:<SKI>0a0b", "X509:<PN>ok@contoso.com"})
	if len(ps) != 1 || ps[0].Value != "X509:<SKI>0a0b" || !strings.Contains(ps[0].Problem, "differ only in letter case") {
		t.Errorf("case duplicates: %v", ps)
	}
}
