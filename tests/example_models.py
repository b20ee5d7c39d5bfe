"""Expected models of the hand-written messages in ``tests/examples/``.

One table drives both directions: ``test_examples.py`` decodes each file and
compares with the model here, and encodes the model and compares with the file
after canonicalisation.
"""

from __future__ import annotations

from syncml import (
    Add,
    Alert,
    Atomic,
    CData,
    Chal,
    Command,
    Copy,
    Cred,
    Delete,
    Exec,
    Get,
    Item,
    Markup,
    Meta,
    Replace,
    Results,
    Sequence,
    Source,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
)

EXPECTED: dict[str, SyncML | tuple[Command, ...]] = {
    "client-generic-alert-app-install.xml": SyncML(
        header=SyncHdr(
            session_id="2C",
            msg_id="1",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
        ),
        body=SyncBody(
            commands=(
                Alert(cmd_id="2", data="1201"),
                Alert(
                    cmd_id="3",
                    data="1226",
                    items=(
                        Item(
                            source=Source(
                                loc_uri="./User/Vendor/MSFT/EnterpriseModernAppManagement/AppInstallation/Contoso.Notes_8wekyb3d8bbwe/HostedInstall",
                            ),
                            meta=Meta(
                                format="int",
                                type="Reversed-Domain-Name:com.microsoft.mdm.EnterpriseHostedAppInstall.result",
                                mark="informational",
                            ),
                            data="0",
                        ),
                        Item(
                            source=Source(loc_uri="./Vendor/MSFT/HealthAttestation/VerifyHealth"),
                            meta=Meta(format="int", type="com.microsoft.mdm:HealthAttestation.Result"),
                            data="3",
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "client-keepalive-request-pending.xml": SyncML(
        header=SyncHdr(
            session_id="2D",
            msg_id="3",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
        ),
        body=SyncBody(
            commands=(
                Alert(
                    cmd_id="1",
                    data="1224",
                    items=(
                        Item(
                            meta=Meta(type="Reversed-Domain-Name:com.microsoft.mdm.requestpending"),
                            data="1",
                        ),
                    ),
                ),
            ),
        ),
    ),
    "client-large-object-first-chunk.xml": SyncML(
        header=SyncHdr(
            session_id="3F",
            msg_id="4",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="3", cmd_ref="0", cmd="SyncHdr", data="200"),
                Results(
                    cmd_id="2",
                    msg_ref="3",
                    cmd_ref="4",
                    items=(
                        Item(
                            source=Source(
                                loc_uri="./Vendor/MSFT/DiagnosticLog/EtwLog/Collectors/Boot/Data",
                            ),
                            meta=Meta(format="b64", size="48"),
                            data="SGVsbG8sIGxhcmdlIG9i",
                            more_data=True,
                        ),
                    ),
                ),
            ),
        ),
    ),
    "client-session-abort-1223.xml": SyncML(
        header=SyncHdr(
            session_id="7",
            msg_id="2",
            target=Target(loc_uri="https://dm.example.net/mgmt"),
            source=Source(loc_uri="IMEI:356938035643809"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="212"),
                Alert(cmd_id="2", data="1223"),
            ),
            final=True,
        ),
    ),
    "client-session-start-md5.xml": SyncML(
        header=SyncHdr(
            session_id="1A",
            msg_id="1",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32", loc_name="device-user"),
            cred=Cred(meta=Meta(format="b64", type="syncml:auth-md5"), data="bm90IGEgcmVhbCBkaWdlc3Q="),
            meta=Meta(max_msg_size="524288"),
        ),
        body=SyncBody(
            commands=(
                Alert(cmd_id="1", data="1201"),
                Alert(
                    cmd_id="2",
                    data="1224",
                    items=(Item(meta=Meta(type="com.microsoft/MDM/LoginStatus"), data="user"),),
                ),
                Replace(
                    cmd_id="3",
                    items=(
                        Item(
                            source=Source(loc_uri="./DevInfo/DevId"),
                            data="4C4C4544-0037-3010-8052-B4C04F4B4E32",
                        ),
                        Item(source=Source(loc_uri="./DevInfo/Man"), data="Fabrikam"),
                        Item(source=Source(loc_uri="./DevInfo/Mod"), data="Model & Co 7"),
                        Item(source=Source(loc_uri="./DevInfo/DmV"), data="1.3"),
                        Item(source=Source(loc_uri="./DevInfo/Lang"), data="fr-FR"),
                        Item(
                            source=Source(loc_uri="./Vendor/MSFT/DMClient/HWDevID"),
                            data="0A1B2C3D4E5F",
                        ),
                    ),
                ),
            ),
            final=True,
            namespaces=(("msft", "http://schemas.microsoft.com/MobileDevice/MDM"),),
        ),
    ),
    "client-status-original-error.xml": SyncML(
        header=SyncHdr(
            session_id="9",
            msg_id="3",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="2", cmd_ref="0", cmd="SyncHdr", data="200"),
                Status(cmd_id="2", msg_ref="2", cmd_ref="10", cmd="Atomic", data="507"),
                Status(cmd_id="3", msg_ref="2", cmd_ref="11", cmd="Add", data="216"),
                Status(
                    cmd_id="4",
                    msg_ref="2",
                    cmd_ref="12",
                    cmd="Add",
                    target_refs=("./Vendor/MSFT/VPNv2/Corp/NativeProfile/Servers",),
                    data="500",
                    data_attributes=(
                        (
                            "{http://schemas.microsoft.com/MobileDevice/MDM}originalerror",
                            "0x80070057",
                        ),
                    ),
                ),
                Status(cmd_id="5", msg_ref="2", cmd_ref="13", cmd="Replace", data="216"),
            ),
            final=True,
            namespaces=(("msft", "http://schemas.microsoft.com/MobileDevice/MDM"),),
        ),
    ),
    "client-status-results.xml": SyncML(
        header=SyncHdr(
            session_id="1A",
            msg_id="2",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200"),
                Status(cmd_id="2", msg_ref="1", cmd_ref="3", cmd="Get", data="200"),
                Results(
                    cmd_id="3",
                    msg_ref="1",
                    cmd_ref="3",
                    items=(
                        Item(
                            source=Source(loc_uri="./DevDetail/SwV"),
                            meta=Meta(format="chr", type="text/plain"),
                            data="10.0.22631.4460",
                        ),
                        Item(
                            source=Source(loc_uri="./DevDetail/Ext/Microsoft/DeviceName"),
                            data="LAPTOP-7Q2",
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "client-unenroll-request.xml": SyncML(
        header=SyncHdr(
            session_id="7",
            msg_id="1",
            target=Target(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
            source=Source(loc_uri="8F3D0A61C5E24B7A9D11E0F4A2B6C973"),
        ),
        body=SyncBody(
            commands=(
                Alert(cmd_id="2", data="1201"),
                Alert(
                    cmd_id="3",
                    data="1226",
                    items=(
                        Item(
                            meta=Meta(format="int", type="com.microsoft:mdm.unenrollment.userrequest"),
                            data="1",
                        ),
                    ),
                ),
                Replace(
                    cmd_id="4",
                    items=(
                        Item(
                            source=Source(loc_uri="./DevInfo/DevId"),
                            data="8F3D0A61C5E24B7A9D11E0F4A2B6C973",
                        ),
                        Item(source=Source(loc_uri="./DevInfo/Man"), data="Contoso Hardware"),
                        Item(source=Source(loc_uri="./DevInfo/Mod"), data="Surface-like 9"),
                        Item(source=Source(loc_uri="./DevInfo/DmV"), data="1.3"),
                        Item(source=Source(loc_uri="./DevInfo/Lang"), data="en-GB"),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "dm11-server-bootstrap.xml": SyncML(
        header=SyncHdr(
            ver_dtd="1.1",
            ver_proto="DM/1.1.2",
            session_id="01",
            msg_id="01",
            target=Target(loc_uri="IMEI:490154203237518"),
            source=Source(loc_uri="https://dm.example.net/bootstrap"),
        ),
        body=SyncBody(
            commands=(
                Add(
                    cmd_id="1",
                    items=(
                        Item(
                            target=Target(loc_uri="./SyncML/DMAcc/Example"),
                            meta=Meta(format="node"),
                        ),
                        Item(
                            target=Target(loc_uri="./SyncML/DMAcc/Example/Addr"),
                            data="https://dm.example.net/mgmt",
                        ),
                        Item(target=Target(loc_uri="./SyncML/DMAcc/Example/Name"), data=""),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "fragment-profile-commands.xml": (
        Replace(
            cmd_id="1",
            items=(
                Item(
                    target=Target(loc_uri="./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursStart"),
                    meta=Meta(format="int"),
                    data="8",
                ),
            ),
        ),
        Add(
            cmd_id="2",
            items=(
                Item(
                    target=Target(loc_uri="./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd"),
                    meta=Meta(format="int"),
                    data="18",
                ),
            ),
        ),
    ),
    "fragment-syncbody-only.xml": (
        Get(
            cmd_id="1",
            items=(Item(target=Target(loc_uri="./DevDetail/Ext/Microsoft/OSPlatform")),),
        ),
        Delete(
            cmd_id="2",
            items=(
                Item(
                    target=Target(
                        loc_uri="./User/Vendor/MSFT/ClientCertificateInstall/PFXCertInstall/0A1B2C",
                    ),
                ),
            ),
        ),
    ),
    "server-add-cdata-policy.xml": SyncML(
        header=SyncHdr(
            session_id="5",
            msg_id="3",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Replace(
                    cmd_id="8",
                    items=(
                        Item(
                            target=Target(
                                loc_uri="./Device/Vendor/MSFT/Policy/Config/AppVirtualization/PublishingAllowServer1",
                            ),
                            meta=Meta(format="chr", type="text/plain"),
                            data=CData(
                                text='<enabled/><data id="Publishing_Server1_Name_Prompt" value="Main & backup"/>',
                            ),
                        ),
                    ),
                ),
                Exec(
                    cmd_id="9",
                    items=(
                        Item(
                            target=Target(
                                loc_uri="./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/%7B1A2B3C4D-0000-1111-2222-333344445555%7D/DownloadInstall",
                            ),
                            meta=Meta(format="xml", type="text/plain"),
                            data='<MsiInstallJob id="{1A2B3C4D-0000-1111-2222-333344445555}"><Product Version="2.0"/></MsiInstallJob>',
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-add-replace-delete-copy.xml": SyncML(
        header=SyncHdr(
            session_id="22",
            msg_id="3",
            target=Target(loc_uri="IMEI:356938035643809"),
            source=Source(loc_uri="https://dm.example.net/mgmt"),
        ),
        body=SyncBody(
            commands=(
                Add(
                    cmd_id="a9e1c2d4-5b6f-4e1a-9c3d-7f8e9a0b1c2d",
                    items=(
                        Item(
                            target=Target(
                                loc_uri="./Vendor/MSFT/Policy/Config/Defender/AllowRealtimeMonitoring",
                            ),
                            meta=Meta(format="int"),
                            data="1",
                        ),
                    ),
                ),
                Replace(
                    cmd_id="0x1F",
                    meta=Meta(format="int", type="text/plain"),
                    items=(
                        Item(
                            target=Target(
                                loc_uri="./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength",
                            ),
                            data="8",
                        ),
                        Item(
                            target=Target(
                                loc_uri="./Device/Vendor/MSFT/Policy/Config/DeviceLock/MaxInactivityTimeDeviceLock",
                            ),
                            data="15",
                        ),
                    ),
                ),
                Delete(
                    cmd_id="33",
                    items=(
                        Item(
                            target=Target(loc_uri="./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera"),
                        ),
                    ),
                ),
                Copy(
                    cmd_id="34",
                    items=(
                        Item(
                            target=Target(loc_uri="./Vendor/Example/Backup/Settings"),
                            source=Source(loc_uri="./Vendor/Example/Settings"),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-atomic.xml": SyncML(
        header=SyncHdr(
            session_id="9",
            msg_id="2",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Atomic(
                    cmd_id="10",
                    commands=(
                        Add(
                            cmd_id="11",
                            items=(
                                Item(
                                    target=Target(loc_uri="./Vendor/MSFT/VPNv2/Corp"),
                                    meta=Meta(format="node"),
                                ),
                            ),
                        ),
                        Add(
                            cmd_id="12",
                            items=(
                                Item(
                                    target=Target(
                                        loc_uri="./Vendor/MSFT/VPNv2/Corp/NativeProfile/Servers",
                                    ),
                                    meta=Meta(format="chr"),
                                    data="vpn.example.com",
                                ),
                            ),
                        ),
                        Replace(
                            cmd_id="13",
                            items=(
                                Item(
                                    target=Target(loc_uri="./Vendor/MSFT/VPNv2/Corp/RememberCredentials"),
                                    meta=Meta(format="bool"),
                                    data="true",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-display-alert-1100.xml": SyncML(
        header=SyncHdr(
            session_id="7",
            msg_id="1",
            target=Target(loc_uri="IMEI:356938035643809"),
            source=Source(loc_uri="https://dm.example.net/mgmt"),
            cred=Cred(meta=Meta(format="b64", type="syncml:auth-basic"), data="c2VydmVyOnNlY3JldA=="),
        ),
        body=SyncBody(
            commands=(
                Alert(
                    cmd_id="1",
                    data="1100",
                    items=(Item(data="MINDT=5"), Item(data="Your device will be updated tonight.")),
                ),
            ),
            final=True,
        ),
    ),
    "server-get-devdetail.xml": SyncML(
        header=SyncHdr(
            session_id="1A",
            msg_id="1",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200"),
                Status(cmd_id="2", msg_ref="1", cmd_ref="1", cmd="Alert", data="200"),
                Get(
                    cmd_id="3",
                    items=(
                        Item(target=Target(loc_uri="./DevDetail/SwV")),
                        Item(target=Target(loc_uri="./DevDetail/Ext/Microsoft/DeviceName")),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-next-message-1222.xml": SyncML(
        header=SyncHdr(
            session_id="3F",
            msg_id="5",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="4", cmd_ref="0", cmd="SyncHdr", data="200"),
                Status(cmd_id="2", msg_ref="4", cmd_ref="2", cmd="Results", data="213"),
                Alert(
                    cmd_id="3",
                    data="1222",
                    items=(
                        Item(
                            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
                            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    "server-replace-admx-markup.xml": SyncML(
        header=SyncHdr(
            session_id="5",
            msg_id="2",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Replace(
                    cmd_id="6",
                    items=(
                        Item(
                            target=Target(
                                loc_uri="./Device/Vendor/MSFT/Policy/Config/AppVirtualization/AllowAppVClient",
                            ),
                            meta=Meta(format="chr", type="text/plain"),
                            data=Markup(xml="<Enabled/>"),
                        ),
                    ),
                ),
                Add(
                    cmd_id="7",
                    items=(
                        Item(
                            target=Target(loc_uri="./Vendor/Example/Tree"),
                            meta=Meta(format="xml", type="application/vnd.syncml.dmtnds+xml"),
                            data=Markup(
                                xml='<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD><Node><NodeName>Tree</NodeName></Node></MgmtTree>',
                            ),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-sequence-confirm.xml": SyncML(
        header=SyncHdr(
            session_id="4",
            msg_id="1",
            target=Target(loc_uri="IMEI:356938035643809"),
            source=Source(loc_uri="https://dm.example.net/mgmt"),
            resp_uri="https://dm.example.net/mgmt?sid=4",
        ),
        body=SyncBody(
            commands=(
                Sequence(
                    cmd_id="1",
                    commands=(
                        Alert(
                            cmd_id="2",
                            data="1101",
                            items=(
                                Item(data="MINDT=10&MAXDT=30&DR=1"),
                                Item(data="Install the corporate Wi-Fi profile?"),
                            ),
                        ),
                        Replace(
                            cmd_id="3",
                            items=(
                                Item(
                                    target=Target(loc_uri="./Vendor/Example/WiFi/Corp/SSID"),
                                    data="CorpNet",
                                ),
                            ),
                        ),
                        Get(
                            cmd_id="4",
                            items=(Item(target=Target(loc_uri="./Vendor/Example/WiFi/Corp/Status")),),
                        ),
                        Exec(
                            cmd_id="5",
                            correlator="wifi-apply-1",
                            items=(Item(target=Target(loc_uri="./Vendor/Example/WiFi/Apply")),),
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
    "server-status-407-chal.xml": SyncML(
        header=SyncHdr(
            session_id="1A",
            msg_id="1",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Status(
                    cmd_id="1",
                    msg_ref="1",
                    cmd_ref="0",
                    cmd="SyncHdr",
                    target_refs=("https://mdm.example.com/ManagementServer/MDM.svc",),
                    source_refs=("4C4C4544-0037-3010-8052-B4C04F4B4E32",),
                    chal=Chal(
                        meta=Meta(
                            format="b64",
                            type="syncml:auth-md5",
                            next_nonce="ZG8gbm90IHJldXNlIG1l",
                        ),
                    ),
                    data="407",
                ),
                Status(cmd_id="2", msg_ref="1", cmd_ref="1", cmd="Alert", data="407"),
            ),
            final=True,
        ),
    ),
    "server-unenroll-exec.xml": SyncML(
        header=SyncHdr(
            session_id="1B",
            msg_id="1",
            target=Target(loc_uri="4C4C4544-0037-3010-8052-B4C04F4B4E32"),
            source=Source(loc_uri="https://mdm.example.com/ManagementServer/MDM.svc"),
        ),
        body=SyncBody(
            commands=(
                Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data="200"),
                Exec(
                    cmd_id="2",
                    items=(
                        Item(
                            target=Target(loc_uri="./Vendor/MSFT/DMClient/Provider/Example MDM/Unenroll"),
                            meta=Meta(format="chr", type="text/plain"),
                            data="Example MDM",
                        ),
                    ),
                ),
            ),
            final=True,
        ),
    ),
}


# The SyncML DS examples (tests/examples/ds-*.xml) have their own module.
from .ds_example_models import DS_EXPECTED  # noqa: E402

EXPECTED.update(DS_EXPECTED)
