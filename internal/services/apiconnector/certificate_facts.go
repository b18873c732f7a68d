package apiconnector

import (
	"errors"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Attribute names shared by the schema, the diagnostics and the tests.
const (
	attrAPIConnectorID = "api_connector_id"
	attrPKCS12Value    = "pkcs12_value"
	attrPKCS12ValueWO  = "pkcs12_value_wo"
	attrPassword       = "password"
	attrPasswordWO     = "password_wo"
)

// expiryWarningWindow is how close to its notAfter a certificate draws a plan-time warning.
const expiryWarningWindow = 30 * 24 * time.Hour

// certificateInput is the PFX and password as configured, with the attributes they came from,
// so that every diagnostic can point at the attribute the user has to fix.
type certificateInput struct {
	PKCS12Base64 string
	Password     string
	// PKCS12Attr is pkcs12_value or pkcs12_value_wo; PasswordAttr is password, password_wo or "" when neither is set.
	PKCS12Attr   string
	PasswordAttr string
	// Known is false when a value comes from something not yet known at plan time.
	Known bool
	// Present is false when neither PFX attribute is set (the config validators report that).
	Present bool
}

// inputFromConfig picks the PFX and password out of the configured attributes. Write-only attributes are
// readable here because the values come from the configuration, never from the plan or state.
func inputFromConfig(pkcs12Value, pkcs12ValueWO, password, passwordWO types.String) certificateInput {
	in := certificateInput{Known: true}
	switch {
	case !pkcs12ValueWO.IsNull():
		in.PKCS12Attr = attrPKCS12ValueWO
		in.Present = true
		in.Known = in.Known && !pkcs12ValueWO.IsUnknown()
		in.PKCS12Base64 = pkcs12ValueWO.ValueString()
	case !pkcs12Value.IsNull():
		in.PKCS12Attr = attrPKCS12Value
		in.Present = true
		in.Known = in.Known && !pkcs12Value.IsUnknown()
		in.PKCS12Base64 = pkcs12Value.ValueString()
	}
	switch {
	case !passwordWO.IsNull():
		in.PasswordAttr = attrPasswordWO
		in.Known = in.Known && !passwordWO.IsUnknown()
		in.Password = passwordWO.ValueString()
	case !password.IsNull():
		in.PasswordAttr = attrPassword
		in.Known = in.Known && !password.IsUnknown()
		in.Password = password.ValueString()
	}
	return in
}

// decodeCertificate decodes the configured PFX and checks it the way Graph would, at time now. Every
// diagnostic names the attribute to fix; none contains the PFX or the password.
func decodeCertificate(in certificateInput, now time.Time) (*pkcs.ClientCertificate, diag.Diagnostics) {
	var diags diag.Diagnostics
	pfxPath := path.Root(in.PKCS12Attr)

	cert, err := pkcs.DecodeClientCertificate(in.PKCS12Base64, in.Password)
	if err != nil {
		switch {
		case errors.Is(err, pkcs.ErrNotBase64):
			diags.AddAttributeError(pfxPath, "PFX is not base64",
				fmt.Sprintf("%s must be the PFX (.pfx/.p12) file in standard base64, as filebase64(\"client.pfx\") gives it. "+
					"Pass the file with filebase64() rather than file() or a PEM text.", in.PKCS12Attr))
		case errors.Is(err, pkcs.ErrNotPKCS12):
			diags.AddAttributeError(pfxPath, "Not a PKCS#12 (PFX) file",
				fmt.Sprintf("%s is not a PKCS#12 (PFX) file, or the file is truncated. Export the client certificate "+
					"together with its private key as .pfx/.p12 (for example `openssl pkcs12 -export`) and pass it with filebase64().",
					in.PKCS12Attr))
		case errors.Is(err, pkcs.ErrWrongPassword):
			if in.PasswordAttr == "" {
				diags.AddAttributeError(pfxPath, "PFX needs a password",
					fmt.Sprintf("The PFX in %s could not be decrypted without a password. Set password_wo (or password) "+
						"to the password the PFX was exported with.", in.PKCS12Attr))
			} else {
				diags.AddAttributeError(path.Root(in.PasswordAttr), "Wrong PFX password",
					fmt.Sprintf("The PFX in %s could not be decrypted with the password in %s. Check that %s holds the "+
						"password the PFX was exported with.", in.PKCS12Attr, in.PasswordAttr, in.PasswordAttr))
			}
		case errors.Is(err, pkcs.ErrNoPrivateKey):
			diags.AddAttributeError(pfxPath, "PFX holds no private key",
				fmt.Sprintf("The PFX in %s holds no private key. An API connector authenticates with the certificate's "+
					"private key: export the certificate together with its private key (Windows: \"Yes, export the private key\"; "+
					"OpenSSL: `openssl pkcs12 -export -inkey key.pem -in cert.pem`).", in.PKCS12Attr))
		case errors.Is(err, pkcs.ErrNoCertificate):
			diags.AddAttributeError(pfxPath, "PFX holds no matching certificate",
				fmt.Sprintf("The PFX in %s holds no certificate whose public key matches its private key. Export the client "+
					"certificate together with its own private key.", in.PKCS12Attr))
		default:
			// pkcs promises its messages never contain the PFX or the password.
			diags.AddAttributeError(pfxPath, "PFX could not be read",
				fmt.Sprintf("The PFX in %s could not be read: %s. Export the client certificate with its private key "+
					"as .pfx/.p12 and pass it with filebase64().", in.PKCS12Attr, err))
		}
		return nil, diags
	}

	notAfter := cert.NotAfter.UTC()
	switch {
	case !now.Before(cert.NotAfter):
		diags.AddAttributeError(pfxPath, "Certificate has expired",
			fmt.Sprintf("The certificate in %s (thumbprint %s, subject %q) expired at %s. Graph would store it but never "+
				"make it active. Use a renewed certificate.", in.PKCS12Attr, cert.Thumbprint, cert.Subject, notAfter.Format(time.RFC3339)))
	case cert.NotAfter.Sub(now) < expiryWarningWindow:
		diags.AddAttributeWarning(pfxPath, "Certificate expires soon",
			fmt.Sprintf("The certificate in %s (thumbprint %s, subject %q) expires at %s, in less than 30 days. "+
				"Plan its rotation: upload the renewed certificate with create_before_destroy.",
				in.PKCS12Attr, cert.Thumbprint, cert.Subject, notAfter.Format(time.RFC3339)))
	}
	if now.Before(cert.NotBefore) {
		diags.AddAttributeWarning(pfxPath, "Certificate not valid yet",
			fmt.Sprintf("The certificate in %s (thumbprint %s) is valid only from %s. Graph keeps the previous certificate "+
				"active until then.", in.PKCS12Attr, cert.Thumbprint, cert.NotBefore.UTC().Format(time.RFC3339)))
	}
	if diags.HasError() {
		return nil, diags
	}
	return cert, diags
}

// formatTime is how not_before and not_after are shown: RFC 3339 in UTC, to the second as Graph keeps them.
func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
