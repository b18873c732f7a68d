package main

import (
	"errors"
	"flag"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// pkiFlags registers the flags that turn on real-Graph PKI behaviours (graphemu.PKISwitches) and returns the
// function that applies them to the emulator once the flags are parsed.
func pkiFlags(fs *flag.FlagSet) func(*graphemu.Emulator) error {
	lag := fs.Duration("pki-replica-lag", 0, "a new PKI answers 404 on GET, its CA list and upload for this long after its creation")
	stale := fs.Duration("pki-stale-reads", 0, "reads of a PKI show its status from before an accepted upload for this long")
	progressive := fs.Bool("pki-progressive-jobs", false, "upload jobs add their certificate authorities one by one over the job")
	failJobs := fs.Int("pki-fail-jobs", 0, "the next N upload jobs fail (after adding -pki-fail-after-cas of their certificate authorities)")
	failAfter := fs.Int("pki-fail-after-cas", 0, "how many certificate authorities a failing upload job adds before it fails")
	dropCreates := fs.Int("pki-drop-create-answers", 0, "create the next N PKIs but drop the answer (the lost-answer case)")
	hardDelete := fs.Bool("pki-hard-delete", false, "delete PKIs and CAs for good instead of keeping them restorable in /directory/deletedItems for 30 days")
	return func(emu *graphemu.Emulator) error {
		if *lag < 0 || *stale < 0 || *failJobs < 0 || *failAfter < 0 || *dropCreates < 0 {
			return errors.New("the -pki-* flags must not be negative")
		}
		emu.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: *lag, StaleReads: *stale, ProgressiveJobs: *progressive,
			FailUploadJobs: *failJobs, FailAfterCAs: *failAfter})
		emu.SetSoftDelete(!*hardDelete)
		if *dropCreates > 0 {
			emu.AddFault(graphemu.Fault{Method: "POST", Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations",
				Count: *dropCreates, DropAfterProcessing: true})
		}
		return nil
	}
}
