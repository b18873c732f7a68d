package policy

import (
	"github.com/entracert/terraform-provider-entracert/internal/services/common"

	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Plan-time checks that every value is in Graph's documented sets, through validators so the error names the attribute.

// x509CertificateFields are the binding fields: Graph's x509CertificateUserBinding page documents PrincipalName,
// RFC822Name, SubjectKeyIdentifier and SHA1PublicKey; Entra added the issuer/subject/serial bindings under the names
// IssuerAndSubject, Subject and IssuerAndSerialNumber (the certificateUserIds field names).
var x509CertificateFields = []string{"PrincipalName", "RFC822Name", "SubjectKeyIdentifier", "SHA1PublicKey",
	"IssuerAndSubject", "Subject", "IssuerAndSerialNumber"}

var (
	guidPattern = common.GUIDPattern
	// guidOrAllUsers: an include target is an object id, or all_users (everyone).
	guidOrAllUsers = regexp.MustCompile(`^(all_users|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$`)
	// oidPattern is a dotted-decimal object identifier such as 1.3.6.1.4.1.311.21.8.1.
	oidPattern = regexp.MustCompile(`^[0-2](\.(0|[1-9][0-9]*))+$`)
	hexPattern = regexp.MustCompile(`^[0-9A-Fa-f]+$`)
)

// targetIDValidators: a group or user object id (GUID); include targets may also be all_users.
func targetIDValidators(include bool) []validator.String {
	if include {
		return []validator.String{stringvalidator.RegexMatches(guidOrAllUsers,
			"must be a group or user object id (a GUID such as 4f8e7c52-0d5b-4a3e-9c1f-2b6d8e9a1c34), or all_users for everyone")}
	}
	return []validator.String{stringvalidator.RegexMatches(guidPattern,
		"must be a group or user object id (a GUID such as 4f8e7c52-0d5b-4a3e-9c1f-2b6d8e9a1c34)")}
}

func oidValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(oidPattern, "must be a certificate policy OID in dotted-decimal form, e.g. 1.3.6.1.4.1.311.21.8.1")}
}

func skiValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(hexPattern,
		"must be a subject key identifier in hex (e.g. 3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB); reference the CA resource's subject_key_identifier attribute")}
}
