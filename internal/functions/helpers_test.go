package functions_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// run calls f with string arguments and returns its result (nil on error) and its error.
func run(t *testing.T, f function.Function, args ...string) (attr.Value, *function.FuncError) {
	t.Helper()
	values := make([]attr.Value, len(args))
	for i, a := range args {
		values[i] = types.StringValue(a)
	}
	var def function.DefinitionResponse
	f.Definition(t.Context(), function.DefinitionRequest{}, &def)
	resp := &function.RunResponse{Result: function.NewResultData(def.Definition.Return.GetType().ValueType(t.Context()))}
	f.Run(t.Context(), function.RunRequest{Arguments: function.NewArgumentsData(values)}, resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	return resp.Result.Value(), nil
}

// attrs returns an object result's attributes.
func attrs(t *testing.T, v attr.Value) map[string]attr.Value {
	t.Helper()
	obj, ok := v.(types.Object)
	if !ok {
		t.Fatalf("result is %T, not an object", v)
	}
	return obj.Attributes()
}

// The entra-powershell test vector: issuer CN=Contoso, subject DC=com, DC=contoso, DC=corp, OU=UserAccounts,
// CN=Contoso User, serial 1E8C974144BF86964423FA6464082D8A, UPN contoso@microsoft.com.
const (
	vectorSubject = "DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User"
	vectorSerial  = "1E8C974144BF86964423FA6464082D8A"
	vectorUPN     = "contoso@microsoft.com"
	vectorEmail   = "contoso.user@contoso.com"
)

var vectorSKI = []byte{0x5a, 0x01, 0xfe}

// userCertificatePEM issues the test-vector user certificate from a generated CA named CN=Contoso; withSANs and
// withSKI decide whether it carries the UPN and e-mail SANs and a subject key identifier.
func userCertificatePEM(t *testing.T, withSANs, withSKI bool) (pemText string, der []byte) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Contoso"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	dc, ou, cn := asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, asn1.ObjectIdentifier{2, 5, 4, 11}, asn1.ObjectIdentifier{2, 5, 4, 3}
	rawSubject := must(t, func() ([]byte, error) {
		return asn1.Marshal(pkix.RDNSequence{{{Type: dc, Value: "com"}}, {{Type: dc, Value: "contoso"}}, {{Type: dc, Value: "corp"}},
			{{Type: ou, Value: "UserAccounts"}}, {{Type: cn, Value: "Contoso User"}}})
	})
	serial, _ := new(big.Int).SetString(vectorSerial, 16)
	tmpl := &x509.Certificate{SerialNumber: serial, RawSubject: rawSubject,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	if withSKI {
		tmpl.SubjectKeyId = vectorSKI
	}
	if withSANs {
		upn := must(t, func() ([]byte, error) { return asn1.MarshalWithParams(vectorUPN, "utf8") })
		value := must(t, func() ([]byte, error) {
			return asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: upn})
		})
		oid := must(t, func() ([]byte, error) { return asn1.Marshal(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3}) })
		san := must(t, func() ([]byte, error) {
			return asn1.Marshal([]asn1.RawValue{
				{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(oid, value...)},
				{Class: asn1.ClassContextSpecific, Tag: 1, Bytes: []byte(vectorEmail)},
			})
		})
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}}
	}
	der = must(t, func() ([]byte, error) { return x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey) })
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), der
}

func must[T any](t *testing.T, f func() (T, error)) T {
	t.Helper()
	v, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
