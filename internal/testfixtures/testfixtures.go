// Package testfixtures holds real OpenSSL-made PFX and .p7b files for tests, and what is known about them.
// Password of every encrypted PFX: Password. client-empty-password.pfx has an empty password.
package testfixtures

import (
	"embed"
	"encoding/base64"
)

//go:embed testdata
var files embed.FS

// Password of every encrypted fixture PFX.
const Password = "Fixture-Pa55!"

// Expected facts about the fixtures.
const (
	ClientThumbprint   = "D8056BBADB0367909DAF53E40C556BB79FFB8779" // client-aes, -legacy-3des, -empty-password, -with-chain
	ClientECThumbprint = "D23ECF75A441A7FA39A3DFB7B2EE87D0A5F2FF13"
	ExpiredThumbprint  = "07B2EC7B950359371900D1F8ED8492B2849C68BA"

	ContosoSHA256             = "14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"
	ContosoPEMSHA256          = "091DAE4D2AE787BE85BDB769E241B607C0A287E3A5E85A3DE926B0C1F8DA668E"
	ContosoRootThumbprint     = "97B4B3728E56D57F944FDE35056EF206612D21ED"
	ContosoIntermediateThumb  = "06F7EC422A8C21FDF08C5490CF4C9570681B8C88"
	ContosoIntermediateCRLURL = "http://crl.contoso.example/intermediate.crl"
	FabrikamSHA256            = "5181A2FF2C91E2526BFAE2029CA1467F598E54AAABC22476804A86B8A6D2437F"
	FabrikamRootThumbprint    = "45C831FE362FB70315776AE371B2D4569AAD7D9F"
)

// Bytes returns a fixture file, e.g. "client-aes.pfx"; it panics on an unknown name.
func Bytes(name string) []byte {
	b, err := files.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Base64 returns a fixture file in standard base64, as Terraform's filebase64 gives it.
func Base64(name string) string { return base64.StdEncoding.EncodeToString(Bytes(name)) }
