package graphemu_test

import (
	"crypto/x509"
	"encoding/base64"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// caBody is a CA create body with what Graph requires (certificate, thumbprint, expirationDateTime) plus extra.
func caBody(cert *x509.Certificate, extra map[string]any) map[string]any {
	b := map[string]any{
		"certificate":        base64.StdEncoding.EncodeToString(cert.Raw),
		"thumbprint":         pkcs.Thumbprint(cert.Raw),
		"expirationDateTime": cert.NotAfter.UTC().Format(time.RFC3339),
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func TestCertificateAuthorityRoutes(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	id := v.createPKI("cas")
	root := pemCert(t, "root-ca.pem")
	inter := pemCert(t, "intermediate-ca.pem")
	caPath := pkisPath + "/" + id + "/certificateAuthorities"

	r := v.do("POST", caPath, caBody(root, map[string]any{"isIssuerHintEnabled": true}))
	wantStatus(t, r, 201)
	ca := r.obj(t)
	if ca["thumbprint"] != testfixtures.ContosoRootThumbprint || ca["certificateAuthorityType"] != "root" || ca["isIssuerHintEnabled"] != true ||
		ca["displayName"] != root.Subject.String() || ca["expirationDateTime"] != "2046-11-17T03:40:51Z" ||
		ca["@odata.context"] != v.srv.URL+"/v1.0/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations('"+id+"')/certificateAuthorities/$entity" {
		t.Errorf("created CA = %v", ca)
	}
	caID := testfixtures.As[string](t, ca["id"])

	// The caller's type and CRL win over what the certificate implies.
	r = v.do("POST", caPath, caBody(inter, map[string]any{
		"certificateAuthorityType": "intermediate", "certificateRevocationListUrl": "http://crl.example/override.crl"}))
	wantStatus(t, r, 201)
	if got := r.obj(t); got["certificateRevocationListUrl"] != "http://crl.example/override.crl" || got["issuerSubjectKeyIdentifier"] != "9514ECF8A48AB96C779523AC6689717E703627DF" {
		t.Errorf("intermediate = %v", got)
	}

	other := pemCert(t, "other-root-ca.pem")
	fat, _ := testfixtures.NewCA(t, "fat", start, pkcs.MaxCertificateSize)
	for name, tc := range map[string]struct {
		body any
		msg  string
	}{
		"duplicate":        {caBody(root, nil), "Duplicate Certificate exists"},
		"no thumbprint":    {map[string]any{"certificate": base64.StdEncoding.EncodeToString(other.Raw), "expirationDateTime": "2046-11-17T03:40:53Z"}, "'thumbprint' is required"},
		"wrong thumbprint": {caBody(other, map[string]any{"thumbprint": testfixtures.ContosoRootThumbprint}), "does not match"},
		"no expiration":    {map[string]any{"certificate": base64.StdEncoding.EncodeToString(other.Raw), "thumbprint": testfixtures.FabrikamRootThumbprint}, "'expirationDateTime' is required"},
		"bad expiration":   {caBody(other, map[string]any{"expirationDateTime": "soon"}), "DateTimeOffset"},
		"no certificate":   {map[string]any{"certificateAuthorityType": "root"}, "certificate"},
		"bad base64":       {map[string]any{"certificate": "***"}, "base64"},
		"not a cert":       {map[string]any{"certificate": base64.StdEncoding.EncodeToString([]byte("hello"))}, "X.509"},
		"too large":        {map[string]any{"certificate": base64.StdEncoding.EncodeToString(fat)}, "8 KB"},
		"bad type":         {map[string]any{"certificate": base64.StdEncoding.EncodeToString(root.Raw), "certificateAuthorityType": "leaf"}, "certificateAuthorityType"},
		"bad hint type":    {map[string]any{"certificate": base64.StdEncoding.EncodeToString(root.Raw), "isIssuerHintEnabled": "yes"}, "Edm.Boolean"},
		"unknown propery":  {map[string]any{"certificate": base64.StdEncoding.EncodeToString(root.Raw), "colour": "red"}, "colour"},
	} {
		t.Run(name, func(t *testing.T) { wantError(t, v.do("POST", caPath, tc.body), 400, "BadRequest", tc.msg) })
	}

	r = v.do("PATCH", caPath+"/"+caID, map[string]any{"isIssuerHintEnabled": false, "certificateRevocationListUrl": "http://crl.example/root.crl",
		"deltaCertificateRevocationListUrl": "http://crl.example/root-delta.crl"})
	wantStatus(t, r, 200)
	if got := r.obj(t); got["isIssuerHintEnabled"] != false || got["certificateRevocationListUrl"] != "http://crl.example/root.crl" ||
		got["deltaCertificateRevocationListUrl"] != "http://crl.example/root-delta.crl" || got["thumbprint"] != testfixtures.ContosoRootThumbprint {
		t.Errorf("PATCH CA = %v", got)
	}
	r = v.do("PATCH", caPath+"/"+caID, map[string]any{"displayName": "renamed", "certificateAuthorityType": "intermediate",
		"deltaCertificateRevocationListUrl": ""})
	wantStatus(t, r, 200)
	if got := r.obj(t); got["displayName"] != "renamed" || got["certificateAuthorityType"] != "intermediate" || got["deltaCertificateRevocationListUrl"] != nil {
		t.Errorf("PATCH CA name and type = %v", got)
	}
	wantError(t, v.do("PATCH", caPath+"/"+caID, map[string]any{"certificateAuthorityType": "leaf"}), 400, "BadRequest", "certificateAuthorityType")
	wantError(t, v.do("PATCH", caPath+"/"+caID, map[string]any{"certificate": base64.StdEncoding.EncodeToString(inter.Raw)}), 400, "BadRequest", "Duplicate")

	r = v.do("GET", caPath, nil)
	wantStatus(t, r, 200)
	if ctx := r.obj(t)["@odata.context"]; ctx != v.srv.URL+"/v1.0/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations('"+id+"')/certificateAuthorities" {
		t.Errorf("CA list context %v", ctx)
	}
	if n := len(v.cas(id)); n != 2 {
		t.Errorf("%d CAs", n)
	}
	wantStatus(t, v.do("DELETE", caPath+"/"+caID, nil), 204)
	for _, r := range []reply{v.do("GET", caPath+"/"+caID, nil), v.do("PATCH", caPath+"/"+caID, map[string]any{"isIssuerHintEnabled": true}), v.do("DELETE", caPath+"/"+caID, nil)} {
		wantError(t, r, 404, "Request_ResourceNotFound", caID)
	}
	// A bundle is refused while any of its CAs (here the intermediate) is already present.
	r = v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256)
	wantError(t, r, 400, "BadRequest", "Duplicate")
}
