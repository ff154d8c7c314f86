// The step-by-step Entra guide beside the kit: the order of SureCloud's "External IdP Server Setup"
// document (tenant URL, app groups, app roles, attribute mapping, testing), said for this tenant,
// with links to the parts of the page each step uses. docs/entra-setup.md is the long form.
import type { KitData } from "./kitData.js";
import { escapeHtml } from "./outcomeHtml.js";

interface Step {
  title: string;
  items: string[];
}

function steps(kit: KitData): Step[] {
  const roleCount = kit.table.rules.length;
  return [
    {
      title: "Create the Enterprise application",
      items: [
        'In the <a href="https://portal.azure.com/#home" rel="noreferrer">Azure portal</a>, open ' +
          "<b>Microsoft Entra ID → Enterprise applications → New application → Create your own application</b>.",
        "Name it (for example <i>SureCloud</i>), choose <b>Integrate any other application you don't find in " +
          "the gallery (Non-gallery)</b>, then <b>Create</b>.",
      ],
    },
    {
      title: "Connect provisioning to SureCloud",
      items: [
        "Open <b>Manage → Provisioning</b>, then <b>Connectivity</b> (older view: <b>Provisioning Mode: " +
          "Automatic</b>, <b>Admin Credentials</b>).",
        "Paste the <b>Tenant URL</b> and <b>Secret Token</b> SureCloud sent you over a secure channel. They are " +
          "<b>not in this page</b>. Keep <code>?aadOptscim062020</code> at the end of the URL.",
        "<b>Test Connection</b>, then <b>Save</b>. Leave provisioning <b>Off</b> for now.",
      ],
    },
    {
      title: "Assign your groups to the application",
      items: [
        "Open <b>Manage → Users and groups → Add user/group</b> and add each Entra group whose members need " +
          "SureCloud.",
        "Keep <b>Provisioning → Settings → Scope</b> on <b>Sync only assigned users and groups</b>.",
      ],
    },
    {
      title: "Create the app roles and assign them",
      items: [
        "From <b>Users and groups</b>, follow the link to the <b>application registration</b>, then " +
          "<b>App roles → Create app role</b>.",
        `Create the ${roleCount} app role(s) listed under <a href="#app-roles">App roles to create</a>: ` +
          "<b>Allowed member types: Users/Groups</b>, the <b>Display name</b> exactly as listed (letter case and " +
          "spaces count).",
        "Back in <b>Users and groups</b>, select each group, <b>Edit assignment</b>, and pick its app role. " +
          "Every member of the group gets it.",
      ],
    },
    {
      title: "Set up the attribute mapping",
      items: [
        "Open <b>Provisioning → Attribute mapping</b>. <b>Provision Microsoft Entra ID Groups</b>: " +
          "<b>Enabled: No</b>, <b>Save</b>. SureCloud's groups come from its catalogue, not from Entra.",
        "<b>Provision Microsoft Entra ID Users</b>: keep <code>userName</code> at <b>Matching precedence 1</b>; " +
          'on <code>emails[type eq "work"].value</code> set <b>Match objects using this attribute: Yes</b>, ' +
          "<b>Matching precedence 2</b>.",
        "Delete the <code>name.formatted</code> and <code>manager</code> mappings.",
        "Edit <code>userType</code> (or add it): <b>Mapping type: Expression</b>, paste the expression that " +
          '<a href="#expression">the Copy button</a> gives, <b>Apply this mapping: Always</b>, <b>OK</b>, then ' +
          "<b>Save</b>.",
        'Copy the expression back out of Entra and paste it into the <a href="#checker">checker</a>: it ' +
          "must say <i>Matches</i>.",
        (kit.tenant.directiveSource === "roles"
          ? "Your organisation's groups come from the <b>roles</b> source: add"
          : "If SureCloud moves your organisation to the <b>roles</b> source, add") +
          " the target attribute <code>roles</code> mapped with the expression " +
          "<code>AssertiveAppRoleAssignmentsComplex([appRoleAssignments])</code>. Each person then gets every " +
          'group of all their roles (see the <a href="#evaluator">evaluator</a>).',
      ],
    },
    {
      title: "Test with one user",
      items: [
        "With provisioning still <b>Off</b>, make sure the test user's group is assigned with its app role.",
        "<b>Provisioning → Provision on demand</b>, pick the user, <b>Provision</b>. Under <b>Perform " +
          'action</b>, <code>userType</code> should be what the <a href="#role-table">role table</a> shows for ' +
          "the user's role. (Provision on demand does not send <code>roles</code>; the scheduled cycle does.)",
        "About a minute later the user is in SureCloud, in those groups.",
      ],
    },
    {
      title: "Turn provisioning on",
      items: [
        "Set <b>Provisioning Status: On</b> and <b>Save</b>. Entra provisions every assigned user, then runs " +
          "a cycle about every 40 minutes. Existing SureCloud accounts are matched by user name, then email.",
      ],
    },
  ];
}

const goodToKnow = [
  "Removing someone from an Entra group changes nothing in SureCloud by itself: only the result above does.",
  "A user disabled in Entra, or unassigned, becomes INACTIVE in SureCloud and keeps their groups stored.",
  'Entra never sends an empty value: an expression result of <code>""</code> sends nothing. Use ' +
    "<code>NONE</code> to remove every group.",
  "SureCloud groups are not created or renamed from Entra: ask SureCloud, who will send a new kit.",
];

export function guideHtml(kit: KitData): string {
  const list = steps(kit).map(
    (step) =>
      `<li><h3>${escapeHtml(step.title)}</h3><ul>${step.items.map((item) => `<li>${item}</li>`).join("")}</ul></li>`,
  );
  return (
    `<aside id="guide"><h2>Step by step in Entra</h2><ol class="steps">${list.join("")}</ol>` +
    `<h3>Good to know</h3><ul>${goodToKnow.map((item) => `<li>${item}</li>`).join("")}</ul></aside>`
  );
}
