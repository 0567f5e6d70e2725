package lvm

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
)

// FuzzSimTools feeds arbitrary command lines to the LVM fakes: they answer
// with a result, never a panic.
func FuzzSimTools(f *testing.F) {
	for _, s := range []string{
		"lvcreate -n x -L 1G VolGroup", "lvcreate -n x -l 100%FREE VolGroup", "lvextend -L +1G VolGroup/lv_root",
		"lvreduce -y -L -1 VolGroup/lv_root", "lvremove -y VolGroup/lv_swap", "pvcreate /dev/sda1", "vgcreate vg /dev/sda1",
		"lvs --reportformat json -o lv_name,nosuch", "pvs --reportformat json", "vgs --reportformat json VolGroup", "lvcreate -L",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		h := simHost(lvmsim.DefaultWorld())
		argv := strings.Split(line, " ")
		for i := 0; i < 2; i++ {
			_, _ = h.Run(context.Background(), exec.Cmd{Argv: argv})
		}
		_, _ = h.Run(context.Background(), exec.Cmd{Argv: reportArgv("lvs", LVFields)})
	})
}
