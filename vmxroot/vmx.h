/* SPDX-License-Identifier: GPL-2.0 */
/* VMCS field encodings, control bits and exit reasons (Intel SDM vol. 3, app. B/C). */
#ifndef TV_VMXROOT_VMX_H
#define TV_VMXROOT_VMX_H

#include "lib/base.h"

enum vmcs_field {
	VIRTUAL_PROCESSOR_ID		= 0x0000,
	GUEST_ES_SELECTOR		= 0x0800,
	GUEST_CS_SELECTOR		= 0x0802,
	GUEST_SS_SELECTOR		= 0x0804,
	GUEST_DS_SELECTOR		= 0x0806,
	GUEST_FS_SELECTOR		= 0x0808,
	GUEST_GS_SELECTOR		= 0x080a,
	GUEST_LDTR_SELECTOR		= 0x080c,
	GUEST_TR_SELECTOR		= 0x080e,
	HOST_ES_SELECTOR		= 0x0c00,
	HOST_CS_SELECTOR		= 0x0c02,
	HOST_SS_SELECTOR		= 0x0c04,
	HOST_DS_SELECTOR		= 0x0c06,
	HOST_FS_SELECTOR		= 0x0c08,
	HOST_GS_SELECTOR		= 0x0c0a,
	HOST_TR_SELECTOR		= 0x0c0c,
	IO_BITMAP_A			= 0x2000,
	IO_BITMAP_B			= 0x2002,
	MSR_BITMAP			= 0x2004,
	VM_EXIT_MSR_LOAD_ADDR		= 0x2008,
	VM_ENTRY_MSR_LOAD_ADDR		= 0x200a,
	EPT_POINTER			= 0x201a,
	GUEST_PHYSICAL_ADDRESS		= 0x2400,
	VMCS_LINK_POINTER		= 0x2800,
	GUEST_IA32_DEBUGCTL		= 0x2802,
	GUEST_IA32_PAT			= 0x2804,
	GUEST_IA32_EFER			= 0x2806,
	GUEST_IA32_PERF_GLOBAL_CTRL	= 0x2808,
	GUEST_PDPTR0			= 0x280a,
	GUEST_PDPTR1			= 0x280c,
	GUEST_PDPTR2			= 0x280e,
	GUEST_PDPTR3			= 0x2810,
	GUEST_IA32_RTIT_CTL		= 0x2814,
	HOST_IA32_PAT			= 0x2c00,
	HOST_IA32_EFER			= 0x2c02,
	HOST_IA32_PERF_GLOBAL_CTRL	= 0x2c04,
	PIN_BASED_VM_EXEC_CONTROL	= 0x4000,
	CPU_BASED_VM_EXEC_CONTROL	= 0x4002,
	EXCEPTION_BITMAP		= 0x4004,
	PAGE_FAULT_ERROR_CODE_MASK	= 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH	= 0x4008,
	CR3_TARGET_COUNT		= 0x400a,
	VM_EXIT_CONTROLS		= 0x400c,
	VM_EXIT_MSR_STORE_COUNT		= 0x400e,
	VM_EXIT_MSR_LOAD_COUNT		= 0x4010,
	VM_ENTRY_CONTROLS		= 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT		= 0x4014,
	VM_ENTRY_INTR_INFO_FIELD	= 0x4016,
	VM_ENTRY_EXCEPTION_ERROR_CODE	= 0x4018,
	VM_ENTRY_INSTRUCTION_LEN	= 0x401a,
	SECONDARY_VM_EXEC_CONTROL	= 0x401e,
	VM_INSTRUCTION_ERROR		= 0x4400,
	VM_EXIT_REASON			= 0x4402,
	VM_EXIT_INTR_INFO		= 0x4404,
	VM_EXIT_INTR_ERROR_CODE		= 0x4406,
	IDT_VECTORING_INFO_FIELD	= 0x4408,
	IDT_VECTORING_ERROR_CODE	= 0x440a,
	VM_EXIT_INSTRUCTION_LEN		= 0x440c,
	VMX_INSTRUCTION_INFO		= 0x440e,
	GUEST_ES_LIMIT			= 0x4800,
	GUEST_CS_LIMIT			= 0x4802,
	GUEST_SS_LIMIT			= 0x4804,
	GUEST_DS_LIMIT			= 0x4806,
	GUEST_FS_LIMIT			= 0x4808,
	GUEST_GS_LIMIT			= 0x480a,
	GUEST_LDTR_LIMIT		= 0x480c,
	GUEST_TR_LIMIT			= 0x480e,
	GUEST_GDTR_LIMIT		= 0x4810,
	GUEST_IDTR_LIMIT		= 0x4812,
	GUEST_ES_AR_BYTES		= 0x4814,
	GUEST_CS_AR_BYTES		= 0x4816,
	GUEST_SS_AR_BYTES		= 0x4818,
	GUEST_DS_AR_BYTES		= 0x481a,
	GUEST_FS_AR_BYTES		= 0x481c,
	GUEST_GS_AR_BYTES		= 0x481e,
	GUEST_LDTR_AR_BYTES		= 0x4820,
	GUEST_TR_AR_BYTES		= 0x4822,
	GUEST_INTERRUPTIBILITY_INFO	= 0x4824,
	GUEST_ACTIVITY_STATE		= 0x4826,
	GUEST_SYSENTER_CS		= 0x482a,
	HOST_IA32_SYSENTER_CS		= 0x4c00,
	CR0_GUEST_HOST_MASK		= 0x6000,
	CR4_GUEST_HOST_MASK		= 0x6002,
	CR0_READ_SHADOW			= 0x6004,
	CR4_READ_SHADOW			= 0x6006,
	EXIT_QUALIFICATION		= 0x6400,
	GUEST_LINEAR_ADDRESS		= 0x640a,
	GUEST_CR0			= 0x6800,
	GUEST_CR3			= 0x6802,
	GUEST_CR4			= 0x6804,
	GUEST_ES_BASE			= 0x6806,
	GUEST_CS_BASE			= 0x6808,
	GUEST_SS_BASE			= 0x680a,
	GUEST_DS_BASE			= 0x680c,
	GUEST_FS_BASE			= 0x680e,
	GUEST_GS_BASE			= 0x6810,
	GUEST_LDTR_BASE			= 0x6812,
	GUEST_TR_BASE			= 0x6814,
	GUEST_GDTR_BASE			= 0x6816,
	GUEST_IDTR_BASE			= 0x6818,
	GUEST_DR7			= 0x681a,
	GUEST_RSP			= 0x681c,
	GUEST_RIP			= 0x681e,
	GUEST_RFLAGS			= 0x6820,
	GUEST_PENDING_DBG_EXCEPTIONS	= 0x6822,
	GUEST_SYSENTER_ESP		= 0x6824,
	GUEST_SYSENTER_EIP		= 0x6826,
	HOST_CR0			= 0x6c00,
	HOST_CR3			= 0x6c02,
	HOST_CR4			= 0x6c04,
	HOST_FS_BASE			= 0x6c06,
	HOST_GS_BASE			= 0x6c08,
	HOST_TR_BASE			= 0x6c0a,
	HOST_GDTR_BASE			= 0x6c0c,
	HOST_IDTR_BASE			= 0x6c0e,
	HOST_IA32_SYSENTER_ESP		= 0x6c10,
	HOST_IA32_SYSENTER_EIP		= 0x6c12,
	HOST_RSP			= 0x6c14,
	HOST_RIP			= 0x6c16,
};

/* Pin-based controls */
#define PIN_NMI_EXITING			(1U << 3)
#define PIN_VIRTUAL_NMIS		(1U << 5)
/* Primary processor-based controls */
#define CPU_CR3_LOAD_EXITING		(1U << 15)
#define CPU_CR3_STORE_EXITING		(1U << 16)
#define CPU_NMI_WINDOW_EXITING		(1U << 22)
#define CPU_USE_IO_BITMAPS		(1U << 25)
#define CPU_USE_MSR_BITMAPS		(1U << 28)
#define CPU_ACTIVATE_SECONDARY		(1U << 31)
/* Secondary processor-based controls */
#define SEC_ENABLE_EPT			(1U << 1)
#define SEC_ENABLE_RDTSCP		(1U << 3)
#define SEC_ENABLE_VPID			(1U << 5)
#define SEC_UNRESTRICTED_GUEST		(1U << 7)
#define SEC_ENABLE_INVPCID		(1U << 12)
#define SEC_CONCEAL_VMX_FROM_PT		(1U << 19)
#define SEC_ENABLE_XSAVES		(1U << 20)
#define SEC_ENABLE_USR_WAIT_PAUSE	(1U << 26)
/* Exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS	(1U << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE	(1U << 9)
#define EXIT_LOAD_PERF_GLOBAL_CTRL	(1U << 12)
#define EXIT_SAVE_IA32_PAT		(1U << 18)
#define EXIT_LOAD_IA32_PAT		(1U << 19)
#define EXIT_SAVE_IA32_EFER		(1U << 20)
#define EXIT_LOAD_IA32_EFER		(1U << 21)
#define EXIT_CONCEAL_VMX_FROM_PT	(1U << 24)
#define EXIT_CLEAR_RTIT_CTL		(1U << 25)
/* Entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS	(1U << 2)
#define ENTRY_IA32E_MODE		(1U << 9)
#define ENTRY_LOAD_PERF_GLOBAL_CTRL	(1U << 13)
#define ENTRY_LOAD_IA32_PAT		(1U << 14)
#define ENTRY_LOAD_IA32_EFER		(1U << 15)
#define ENTRY_CONCEAL_VMX_FROM_PT	(1U << 17)
#define ENTRY_LOAD_RTIT_CTL		(1U << 18)

/* EPT/VPID capabilities (IA32_VMX_EPT_VPID_CAP) */
#define EPT_CAP_WALK4			(1ULL << 6)
#define EPT_CAP_WB			(1ULL << 14)
#define EPT_CAP_2M			(1ULL << 16)
#define EPT_CAP_1G			(1ULL << 17)
#define EPT_CAP_INVEPT			(1ULL << 20)
#define EPT_CAP_INVEPT_SINGLE		(1ULL << 25)
#define EPT_CAP_INVEPT_ALL		(1ULL << 26)
#define VPID_CAP_INVVPID		(1ULL << 32)
#define VPID_CAP_INVVPID_SINGLE		(1ULL << 41)
#define VPID_CAP_INVVPID_ALL		(1ULL << 42)

/* Interruption-information fields */
#define INTR_INFO_VALID			(1U << 31)
#define INTR_INFO_DELIVER_CODE		(1U << 11)
#define INTR_TYPE_HW_EXCEPTION		(3U << 8)
#define INTR_TYPE_NMI			(2U << 8)
#define INTR_TYPE_MASK			(7U << 8)
#define VECTOR_NMI			2
#define VECTOR_UD			6
#define VECTOR_GP			13
#define VECTOR_PF			14
#define VECTOR_MC			18

/* Guest interruptibility */
#define GUEST_INTR_STI			(1U << 0)
#define GUEST_INTR_MOV_SS		(1U << 1)
#define GUEST_INTR_NMI			(1U << 3)

#define GUEST_ACTIVITY_ACTIVE		0
#define GUEST_ACTIVITY_WAIT_SIPI	3

/* Segment access rights: "unusable", and CS.L (64-bit code) */
#define AR_UNUSABLE			(1U << 16)
#define AR_L				(1U << 13)

enum exit_reason {
	EXIT_EXCEPTION_NMI	= 0,
	EXIT_EXTERNAL_INTR	= 1,
	EXIT_TRIPLE_FAULT	= 2,
	EXIT_INIT		= 3,
	EXIT_SIPI		= 4,
	EXIT_NMI_WINDOW		= 8,
	EXIT_CPUID		= 10,
	EXIT_GETSEC		= 11,
	EXIT_INVD		= 13,
	EXIT_VMCALL		= 18,
	EXIT_VMCLEAR		= 19,
	EXIT_VMLAUNCH		= 20,
	EXIT_VMPTRLD		= 21,
	EXIT_VMPTRST		= 22,
	EXIT_VMREAD		= 23,
	EXIT_VMRESUME		= 24,
	EXIT_VMWRITE		= 25,
	EXIT_VMXOFF		= 26,
	EXIT_VMXON		= 27,
	EXIT_CR_ACCESS		= 28,
	EXIT_IO_INSTRUCTION	= 30,
	EXIT_RDMSR		= 31,
	EXIT_WRMSR		= 32,
	EXIT_INVALID_STATE	= 33,
	EXIT_MSR_LOADING	= 34,
	EXIT_MACHINE_CHECK	= 41,
	EXIT_EPT_VIOLATION	= 48,
	EXIT_EPT_MISCONFIG	= 49,
	EXIT_INVEPT		= 50,
	EXIT_INVVPID		= 53,
	EXIT_XSETBV		= 55,
	EXIT_VMFUNC		= 59,
	EXIT_ENCLS		= 60,
};

#define EXIT_REASON_BASIC		0xffffU
#define EXIT_REASON_FAILED_ENTRY	(1U << 31)

/*
 * VMX instruction wrappers.  Every one reports failure: VMfailInvalid (CF,
 * no current VMCS) or VMfailValid (ZF, error number in the VMCS).  The
 * *_safe forms return false on failure; vmcs_write() and vmcs_read() log the
 * field, the VM-instruction error and the calling function, and mark the CPU
 * so the operation in progress (VMCS setup, an exit) can fail as a whole.
 */
static inline bool vmcs_write_safe(u32 field, u64 val)
{
	bool fail;

	asm volatile("vmwrite %2, %1" "\n\tsetbe %0"
		     : "=qm"(fail) : "r"((u64)field), "rm"(val) : "cc", "memory");
	return !fail;
}

static inline bool vmcs_read_safe(u32 field, u64 *val)
{
	bool fail;

	asm volatile("vmread %2, %0" "\n\tsetbe %1"
		     : "=rm"(*val), "=qm"(fail) : "r"((u64)field) : "cc");
	return !fail;
}

/* vmxroot/vmx.c: logs "VMWRITE/VMREAD of field F failed (error E) in FUNC". */
void vmx_insn_failed(const char *insn, u32 field, const char *caller);

#define vmcs_write(field, val)							\
	do {									\
		u32 __f = (field);						\
		if (!vmcs_write_safe(__f, (u64)(val)))				\
			vmx_insn_failed("VMWRITE", __f, __func__);		\
	} while (0)

#define vmcs_read(field)							\
	({									\
		u32 __f = (field);						\
		u64 __v = 0;							\
		if (!vmcs_read_safe(__f, &__v))					\
			vmx_insn_failed("VMREAD", __f, __func__);		\
		__v;								\
	})

/* VMXON, VMCLEAR, VMPTRLD: one physical-address operand, false on VMfail. */
#define DEFINE_VMX_PHYS_INSN(name, insn)					\
static inline bool name(u64 phys)						\
{										\
	bool fail;								\
										\
	asm volatile(insn " %1\n\tsetbe %0" : "=qm"(fail) : "m"(phys) : "cc", "memory"); \
	return !fail;								\
}
DEFINE_VMX_PHYS_INSN(vmx_on, "vmxon")
DEFINE_VMX_PHYS_INSN(vmcs_clear, "vmclear")
DEFINE_VMX_PHYS_INSN(vmcs_load, "vmptrld")

static inline bool vmx_off(void)
{
	bool fail;

	asm volatile("vmxoff\n\tsetbe %0" : "=qm"(fail) : : "cc", "memory");
	return !fail;
}

struct inv_desc {
	u64 a, b;
};

static inline bool invept_safe(u64 type, u64 eptp)
{
	struct inv_desc d = { eptp, 0 };
	bool fail;

	asm volatile("invept %1, %2\n\tsetbe %0"
		     : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
	return !fail;
}

static inline bool invvpid_safe(u64 type, u16 vpid)
{
	struct inv_desc d = { vpid, 0 };
	bool fail;

	asm volatile("invvpid %1, %2\n\tsetbe %0"
		     : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
	return !fail;
}

#define invept(type, eptp)							\
	do {									\
		if (!invept_safe(type, eptp))					\
			vmx_insn_failed("INVEPT", (u32)(type), __func__);	\
	} while (0)

#define invvpid(type, vpid)							\
	do {									\
		if (!invvpid_safe(type, vpid))					\
			vmx_insn_failed("INVVPID", (u32)(type), __func__);	\
	} while (0)

#define INVEPT_SINGLE	1
#define INVEPT_ALL	2
#define INVVPID_SINGLE	1
#define INVVPID_ALL	2

#endif
