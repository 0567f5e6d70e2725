package sim

// The simulator's model of mke2fs's on-disk layout (ext4 defaults of
// e2fsprogs 1.47: 256-byte inodes, 64-bit group descriptors, sparse_super),
// so df and dumpe2fs on the sim report the sizes the real tools do.

// JournalBlocks is ext2fs_default_journal_size: the journal mkfs makes
// for a filesystem of n blocks.
func JournalBlocks(n int64) int64 {
	switch {
	case n < 2048:
		return 0
	case n < 32768:
		return 1024
	case n < 256*1024:
		return 4096
	case n < 512*1024:
		return 8192
	case n < 4096*1024:
		return 16384
	case n < 8192*1024:
		return 32768
	case n < 16384*1024:
		return 65536
	case n < 32768*1024:
		return 131072
	}
	return 262144
}

// Overhead is how many blocks metadata takes: superblock and descriptor
// copies in groups 0, 1 and powers of 3, 5 and 7, reserved descriptor
// blocks for growth, bitmaps, inode tables and the journal.
func (f *Filesystem) Overhead() int64 {
	bs, n := f.BlockSize, f.Blocks
	perGroup := 8 * bs
	first := int64(0)
	if bs == 1024 {
		first = 1 // block 0 is the boot block
	}
	groups := groups(f)
	inodeTable := inodesPerGroup(f) * 256 / bs
	descPerBlock := bs / 64
	gdt := (groups + descPerBlock - 1) / descPerBlock
	growTo := min(n*1024, 1<<32)
	rsv := min(max((growTo/perGroup+descPerBlock-1)/descPerBlock-gdt, 0), bs/4)
	backups := int64(0)
	for g := int64(0); g < groups; g++ {
		if hasSuper(g) {
			backups++
		}
	}
	return first + backups*(1+gdt+rsv) + groups*(2+inodeTable) + f.Journal
}

func hasSuper(g int64) bool {
	if g <= 1 {
		return true
	}
	for _, base := range []int64{3, 5, 7} {
		p := base
		for p < g {
			p *= base
		}
		if p == g {
			return true
		}
	}
	return false
}

func inodesPerGroup(f *Filesystem) int64 {
	if f.BlockSize == 1024 {
		return 8 * 1024 * 1024 / 4096 // the "small" type below 512 MiB: one inode per 4 KiB
	}
	return 8 * f.BlockSize * f.BlockSize / 16384
}

func groups(f *Filesystem) int64 {
	perGroup, first := 8*f.BlockSize, int64(0)
	if f.BlockSize == 1024 {
		first = 1
	}
	return (f.Blocks - first + perGroup - 1) / perGroup
}

// Inodes is the filesystem's inode count.
func (f *Filesystem) Inodes() int64 { return groups(f) * inodesPerGroup(f) }

// AvailBlocks is what statfs calls f_bavail: free blocks minus the 5%
// reserved for root and ext4's own reserve (2%, at most 4096 clusters).
func (f *Filesystem) AvailBlocks() int64 {
	return max(f.Blocks-f.UsedBlocks()-f.Blocks/20-min(f.Blocks/50, 4096), 0)
}

// UsedBlocks is what e2fsck and dumpe2fs count as in use.
func (f *Filesystem) UsedBlocks() int64 {
	return f.Overhead() + (f.Used+f.BlockSize-1)/f.BlockSize
}
