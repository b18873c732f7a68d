package pkcs_test

import (
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestMissingIssuers(t *testing.T) {
	root, err := pkcs.ParseCertificate(testfixtures.Bytes("root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	inter, err := pkcs.ParseCertificate(testfixtures.Bytes("intermediate-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{root, inter}, nil); len(got) != 0 {
		t.Errorf("root and intermediate: %+v, want nothing missing", got)
	}
	got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{inter}, nil)
	if len(got) != 1 || got[0].IssuerName != root.Subject || got[0].IssuerKeyID != root.SubjectKeyIdentifier || got[0].CA.Thumbprint != inter.Thumbprint {
		t.Errorf("intermediate alone: %+v, want the root missing", got)
	}
	// The issuer elsewhere (the PKI): found by its subject key identifier, and by name when it has none.
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{inter}, []pkcs.IssuerCandidate{pkcs.CandidateOf(root)}); len(got) != 0 {
		t.Errorf("root in the PKI: %+v", got)
	}
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{inter}, []pkcs.IssuerCandidate{{Subject: root.Subject}}); len(got) != 0 {
		t.Errorf("root by name: %+v", got)
	}
	// Same name, another key: not the issuer.
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{inter}, []pkcs.IssuerCandidate{{Subject: root.Subject, SKI: "0011"}}); len(got) != 1 {
		t.Errorf("same name, other key: %+v, want the root missing", got)
	}
	// A CA without an authority key identifier is matched by issuer name.
	noAKI := inter
	noAKI.IssuerSubjectKeyIdentifier = ""
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{noAKI}, []pkcs.IssuerCandidate{{Subject: root.Subject, SKI: root.SubjectKeyIdentifier}}); len(got) != 0 {
		t.Errorf("no AKI, issuer by name: %+v", got)
	}
	// Generated: a sub-CA of a root the file does not hold.
	now := time.Now()
	parentDER, parentKey := testfixtures.NewCA(t, "Generated Root", now, 0)
	subDER, _ := testfixtures.NewSubCA(t, "Generated Issuing CA", parentDER, parentKey, "", now)
	sub, _ := pkcs.ParseCertificate(subDER)
	parent, _ := pkcs.ParseCertificate(parentDER)
	if got := pkcs.MissingIssuers([]pkcs.CertificateAuthority{sub}, nil); len(got) != 1 || got[0].IssuerName != parent.Subject || got[0].IssuerKeyID != parent.SubjectKeyIdentifier {
		t.Errorf("generated sub-CA: %+v", got)
	}
}
