package pkcs_test

import (
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestParseCRL(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	caDER, key := testfixtures.NewCA(t, "CRL CA", now, 0)
	otherDER, _ := testfixtures.NewCA(t, "Other CA", now, 0)
	ca, _ := pkcs.ParseCertificate(caDER)
	der := testfixtures.NewCRL(t, caDER, key, now.Add(-time.Hour), now.Add(time.Hour), 12345678901234, 4)
	for name, data := range map[string][]byte{"DER": der, "PEM": pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})} {
		c, err := pkcs.ParseCRL(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Number != "12345678901234" || c.RevokedCount != 4 || c.AuthorityKeyIdentifier != ca.SubjectKeyIdentifier ||
			!c.ThisUpdate.Equal(now.Add(-time.Hour)) || !c.NextUpdate.Equal(now.Add(time.Hour)) {
			t.Errorf("%s: %+v", name, c)
		}
		if err := c.SignedBy(caDER); err != nil {
			t.Errorf("%s: signed by its CA: %v", name, err)
		}
		if err := c.SignedBy(otherDER); err == nil {
			t.Errorf("%s: another CA's key verified the CRL", name)
		}
		if c.ExpiredAt(now) || !c.ExpiredAt(now.Add(time.Hour)) {
			t.Errorf("%s: expiry at nextUpdate is wrong", name)
		}
	}
	noAKI, err := pkcs.ParseCRL(testfixtures.NewCRLWithoutAKI(t, caDER, key, now, now.Add(time.Hour), 3))
	if err != nil || noAKI.AuthorityKeyIdentifier != "" || noAKI.Number != "3" || noAKI.SignedBy(caDER) != nil {
		t.Errorf("CRL without AKI: %+v, %v", noAKI, err)
	}
	for name, data := range map[string][]byte{
		"empty": nil, "junk": []byte("junk"), "a certificate": caDER,
		"PEM certificate": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
	} {
		if _, err := pkcs.ParseCRL(data); !errors.Is(err, pkcs.ErrNotCRL) {
			t.Errorf("%s: %v, want ErrNotCRL", name, err)
		}
	}
}
