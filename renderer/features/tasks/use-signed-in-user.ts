import { useConnectionsStore } from '../../stores/connections';

/** Who the app is signed in as on a profile's cluster (`alice@pve`, a token as `alice@pve!name`), if it is. */
export function useSignedInUser(): (profileId: string | undefined) => string | undefined {
  const connections = useConnectionsStore();
  return (profileId) => {
    const userid = connections.profiles.find((profile) => profile.id === profileId)?.state.userid;
    return userid?.split('!')[0];
  };
}
