/** The organisation's directory (Microsoft Entra ID): which of some groups a person belongs to. */
export interface Directory {
  /** Of `groupIds`, those the user is a member of, directly or through nested groups. */
  memberGroups(aadObjectId: string, groupIds: readonly string[]): Promise<string[]>;
}
