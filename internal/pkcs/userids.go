package pkcs

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// CertificateUserIDs are the certificateUserIds values Entra's certificate-based authentication matches a user
// certificate on, one per mapping it defines. A value the certificate cannot give (no UPN, no e-mail SAN, no
// subject key identifier, an empty subject) is "".
type CertificateUserIDs struct {
	PrincipalName         string // X509:<PN>{SAN otherName UPN}
	RFC822Name            string // X509:<RFC822>{SAN rfc822Name}
	IssuerAndSubject      string // X509:<I>{issuer}<S>{subject}
	Subject               string // X509:<S>{subject}
	SubjectKeyIdentifier  string // X509:<SKI>{uppercase hex}
	SHA1PublicKey         string // X509:<SHA1-PUKEY>{uppercase hex SHA-1 of the whole DER certificate}
	IssuerAndSerialNumber string // X509:<I>{issuer}<SR>{lowercase hex serial, big-endian}
}

// Object identifiers read from a user certificate.
var (
	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
	// oidUPN is Microsoft's user principal name in a SAN otherName (szOID_NT_PRINCIPAL_NAME).
	oidUPN = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3}
)

// ParseCertificateUserIDs reads one user certificate (PEM, base64 of its DER, or DER, as ParseCertificate accepts)
// and returns its certificateUserIds values.
func ParseCertificateUserIDs(data []byte) (CertificateUserIDs, error) {
	ca, err := ParseCertificate(data)
	if err != nil {
		return CertificateUserIDs{}, err
	}
	cert, err := x509.ParseCertificate(ca.DER)
	if err != nil { // ParseCertificate parsed the same bytes
		return CertificateUserIDs{}, fmt.Errorf("%w: %s", ErrNotCertificate, strings.TrimPrefix(err.Error(), "x509: "))
	}
	return UserIDsOf(cert)
}

// UserIDsOf builds the certificateUserIds values of cert as Microsoft's entra-powershell cmdlet
// Get-EntraUserCertificateUserIdsFromCertificate does: DNs with their RDNs in encoding order joined by ","
// (DistinguishedName), the serial number in big-endian lowercase hex, SKI and SHA1-PUKEY in uppercase hex.
func UserIDsOf(cert *x509.Certificate) (CertificateUserIDs, error) {
	subject, err := DistinguishedName(cert.RawSubject)
	if err != nil {
		return CertificateUserIDs{}, fmt.Errorf("%w: its subject: %s", ErrNotCertificate, err.Error())
	}
	issuer, err := DistinguishedName(cert.RawIssuer)
	if err != nil {
		return CertificateUserIDs{}, fmt.Errorf("%w: its issuer: %s", ErrNotCertificate, err.Error())
	}
	upn, email, err := subjectAltNames(cert)
	if err != nil {
		return CertificateUserIDs{}, fmt.Errorf("%w: its subject alternative name extension: %s", ErrNotCertificate, err.Error())
	}
	serial, err := SerialNumberHex(cert)
	if err != nil {
		return CertificateUserIDs{}, fmt.Errorf("%w: its serial number: %s", ErrNotCertificate, err.Error())
	}

	var ids CertificateUserIDs
	if upn != "" {
		ids.PrincipalName = userIDPrefixPrincipalName + upn
	}
	if email != "" {
		ids.RFC822Name = userIDPrefixRFC822Name + email
	}
	if subject != "" {
		ids.Subject = userIDPrefixSubject + subject
		if issuer != "" {
			ids.IssuerAndSubject = userIDPrefixIssuer + issuer + userIDMarkSubject + subject
		}
	}
	if len(cert.SubjectKeyId) > 0 {
		ids.SubjectKeyIdentifier = userIDPrefixSKI + strings.ToUpper(hex.EncodeToString(cert.SubjectKeyId))
	}
	ids.SHA1PublicKey = userIDPrefixSHA1PublicKey + Thumbprint(cert.Raw)
	if issuer != "" && serial != "" {
		ids.IssuerAndSerialNumber = userIDPrefixIssuer + issuer + userIDMarkSerialNumber + serial
	}
	return ids, nil
}

// SerialNumberHex is the certificate's serial number as encoded (big-endian, a leading 00 byte kept when the
// encoding has one, as .NET's GetSerialNumber reversed gives), in lowercase hex.
func SerialNumberHex(cert *x509.Certificate) (string, error) {
	var tbs struct {
		Version asn1.RawValue `asn1:"optional,explicit,tag:0"`
		Serial  asn1.RawValue
	}
	if _, err := asn1.Unmarshal(cert.RawTBSCertificate, &tbs); err != nil {
		return "", err
	}
	if tbs.Serial.Tag != asn1.TagInteger || tbs.Serial.Class != asn1.ClassUniversal {
		return "", errors.New("not an INTEGER")
	}
	return hex.EncodeToString(tbs.Serial.Bytes), nil
}

// subjectAltNames returns the first UPN (otherName 1.3.6.1.4.1.311.20.2.3, UTF8String) and the first rfc822Name
// of the subject alternative name extension, "" for those absent.
func subjectAltNames(cert *x509.Certificate) (upn, email string, err error) {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidSubjectAltName) {
			continue
		}
		var names []asn1.RawValue
		rest, err := asn1.Unmarshal(ext.Value, &names)
		if err != nil {
			return "", "", err
		}
		if len(rest) > 0 {
			return "", "", errors.New("trailing data")
		}
		for _, n := range names {
			if n.Class != asn1.ClassContextSpecific {
				continue
			}
			switch n.Tag {
			case 0: // otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
				if upn != "" {
					continue
				}
				v, err := otherNameUPN(n.Bytes)
				if err != nil {
					return "", "", err
				}
				upn = v
			case 1: // rfc822Name [1] IMPLICIT IA5String
				if email == "" {
					email = string(n.Bytes)
				}
			}
		}
		return upn, email, nil
	}
	return "", "", nil
}

// otherNameUPN returns the UPN in an otherName's content, or "" when the otherName is of another type.
func otherNameUPN(content []byte) (string, error) {
	var typeID asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(content, &typeID)
	if err != nil {
		return "", err
	}
	if !typeID.Equal(oidUPN) {
		return "", nil
	}
	var explicit asn1.RawValue
	if _, err := asn1.Unmarshal(rest, &explicit); err != nil {
		return "", err
	}
	if explicit.Class != asn1.ClassContextSpecific || explicit.Tag != 0 {
		return "", errors.New("the UPN otherName has no [0] value")
	}
	var upn string
	if _, err := asn1.UnmarshalWithParams(explicit.Bytes, &upn, "utf8"); err != nil {
		return "", fmt.Errorf("the UPN is not a UTF8String: %w", err)
	}
	return upn, nil
}

// dnLabels are the attribute names Windows (CertNameToStr, .NET X500DistinguishedName) prints, which Entra matches.
var dnLabels = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "SERIALNUMBER",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "S",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "T",
	"2.5.4.42":                   "G",
	"2.5.4.43":                   "I",
	"2.5.4.17":                   "PostalCode",
	"1.2.840.113549.1.9.1":       "E",
	"0.9.2342.19200300.100.1.25": "DC",
	"0.9.2342.19200300.100.1.1":  "UID",
}

// DistinguishedName renders a DER Name the way Entra's certificateUserIds expect: every attribute in certificate
// encoding order (root-most first, not the reversed RFC 2253 order of Go's String()), a multi-valued RDN's
// attributes each on their own, joined by "," with no space. Values are kept as they are (spaces included) and
// double-quoted, as Windows does, only when they contain , + = " < > # ; or a line break or start or end with a space.
func DistinguishedName(der []byte) (string, error) {
	var rdns pkix.RDNSequence
	rest, err := asn1.Unmarshal(der, &rdns)
	if err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", errors.New("trailing data after the name")
	}
	var parts []string
	for _, rdn := range rdns {
		for _, atv := range rdn {
			label, ok := dnLabels[atv.Type.String()]
			if !ok {
				label = "OID." + atv.Type.String()
			}
			parts = append(parts, label+"="+quoteDNValue(dnValue(atv.Value)))
		}
	}
	return strings.Join(parts, ","), nil
}

func dnValue(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		if utf8.Valid(s) {
			return string(s)
		}
		return "#" + hex.EncodeToString(s)
	default:
		return fmt.Sprint(v)
	}
}

func quoteDNValue(v string) string {
	if v == "" || (!strings.ContainsAny(v, ",+=\"<>#;\r\n") && !strings.HasPrefix(v, " ") && !strings.HasSuffix(v, " ")) {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}
