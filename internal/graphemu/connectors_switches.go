package graphemu

import (
	"bytes"
	"encoding/asn1"
)

// B2C's answer to a PFX encrypted with PBES2 (azure-docs #36773, microsoft-graph-docs-contrib #8993).
const (
	CodePBES2Rejected    = "AADB2C90213"
	MessagePBES2Rejected = "The certificate password provided in request is incorrect."
)

// SetRejectPBES2 switches Options.RejectPBES2 on or off.
func (e *Emulator) SetRejectPBES2(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rejectPBES2 = on
}

// SetRefuseUploadsOnBasicAuth switches Options.RefuseUploadsOnBasicAuth on or off.
func (e *Emulator) SetRefuseUploadsOnBasicAuth(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refuseBasic = on
}

func (e *Emulator) rejectsPBES2() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rejectPBES2
}

// oidPBES2DER is the DER of the PBES2 object identifier (1.2.840.113549.1.5.13). PKCS#12 names the algorithm of
// its encrypted contents in clear, so a PFX whose key or certificates are encrypted with PBES2 holds these bytes.
var oidPBES2DER = func() []byte {
	b, err := asn1.Marshal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13})
	if err != nil {
		panic(err)
	}
	return b
}()

// usesPBES2 reports whether a PFX uses PBES2 (AES) encryption.
func usesPBES2(pfx []byte) bool { return bytes.Contains(pfx, oidPBES2DER) }
